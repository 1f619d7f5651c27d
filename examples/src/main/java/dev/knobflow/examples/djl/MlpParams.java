package dev.knobflow.examples.djl;

import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.List;
import java.util.Locale;

/**
 * The five MLP hyperparameters the example tunes, and where each is searched. The learning rate's
 * range deliberately reaches values at which training diverges or oscillates (plain SGD above about
 * 1, Adam above about 0.05), so the advisor has bad curves to diagnose.
 *
 * @param learningRate step size, 1e-4 to 10, log scale
 * @param hiddenLayers hidden layers, 1 to 3
 * @param hiddenUnits units per hidden layer, 16 to 128, log scale
 * @param batchSize mini-batch size, one of 16, 32, 64, 128
 * @param optimizer {@code sgd} (plain, no momentum) or {@code adam}
 */
public record MlpParams(
    double learningRate, int hiddenLayers, int hiddenUnits, int batchSize, String optimizer) {

  /** The optimizers the example knows. */
  public static final List<String> OPTIMIZERS = List.of("sgd", "adam");

  /** The mini-batch sizes searched. */
  public static final List<Integer> BATCH_SIZES = List.of(16, 32, 64, 128);

  /** Learning rate. */
  public static final FloatDistribution LEARNING_RATE = new FloatDistribution(1e-4, 10.0, true, 0);

  /** Hidden layers. */
  public static final IntDistribution HIDDEN_LAYERS = new IntDistribution(1, 3, false, 1);

  /** Units per hidden layer. */
  public static final IntDistribution HIDDEN_UNITS = new IntDistribution(16, 128, true, 1);

  public MlpParams {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + learningRate);
    }
    if (hiddenLayers < 1) {
      throw new IllegalArgumentException("hidden_layers must be at least 1, got " + hiddenLayers);
    }
    if (hiddenUnits < 1) {
      throw new IllegalArgumentException("hidden_units must be at least 1, got " + hiddenUnits);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
    }
    optimizer = optimizer == null ? null : optimizer.toLowerCase(Locale.ROOT);
    if (!OPTIMIZERS.contains(optimizer)) {
      throw new IllegalArgumentException(
          "optimizer must be one of " + OPTIMIZERS + ", got '" + optimizer + "'");
    }
  }

  /** The same space declared up front, for studies that prefer a declared {@code space}. */
  public static SearchSpace searchSpace() {
    return SearchSpace.builder()
        .add("lr", LEARNING_RATE)
        .add("hidden_layers", HIDDEN_LAYERS)
        .add("hidden_units", HIDDEN_UNITS)
        .add("batch_size", CategoricalDistribution.of(BATCH_SIZES))
        .add("optimizer", CategoricalDistribution.of(OPTIMIZERS))
        .build();
  }

  /** Suggests the five parameters define-by-run. */
  public static MlpParams suggest(Trial trial) {
    return new MlpParams(
        trial.suggestFloat("lr", LEARNING_RATE),
        (int) trial.suggestLong("hidden_layers", HIDDEN_LAYERS),
        (int) trial.suggestLong("hidden_units", HIDDEN_UNITS),
        trial.suggestCategorical("batch_size", BATCH_SIZES),
        trial.suggestCategorical("optimizer", OPTIMIZERS));
  }
}
