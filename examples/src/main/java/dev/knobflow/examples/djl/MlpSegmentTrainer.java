package dev.knobflow.examples.djl;

import dev.knobflow.optimizers.distributions.FloatDistribution;
import java.io.IOException;
import java.util.Optional;

/**
 * Trains the digits MLP in segments, for population-based training: from an optional checkpoint to
 * a given epoch with a given learning rate and weight decay (plain SGD, no momentum, so the
 * optimizer has no state beyond the weights and a schedule may change both values between any two
 * segments), then scores it on the held-out rows. Everything else is fixed by the constructor: the
 * data and its split ({@link MlpConfig}, the same split as {@link MlpObjective}), the architecture
 * and the batch size.
 *
 * <p>A segment is deterministic: initial weights and each epoch's batch order are seeded by the
 * model seed (and the epoch), so training to epoch 4 in one segment or in two (2 + 2, through the
 * checkpoint's bytes) gives the same weights. Both sides of {@code bench/pbt}'s digits benchmark
 * (Knobflow's schedulers in one JVM, Ray Tune's through a small server) train through this class.
 * Instances are thread-safe: each segment builds its own network.
 */
public final class MlpSegmentTrainer {

  /** The learning rates searched: 1e-3 to 1, log scale (plain SGD on pixels scaled to 0-1). */
  public static final FloatDistribution LEARNING_RATE = new FloatDistribution(1e-3, 1.0, true, 0);

  /** The weight decays searched: 1e-5 to 0.1, log scale. */
  public static final FloatDistribution WEIGHT_DECAY = new FloatDistribution(1e-5, 0.1, true, 0);

  private final MlpData data;
  private final int hiddenLayers;
  private final int hiddenUnits;
  private final int batchSize;

  /**
   * A trainer on the configured data (bundled digits by default).
   *
   * @param config the dataset and its split (its model seed and epochs are not used: each segment
   *     names its seed and end)
   * @param hiddenLayers hidden layers, at least 1
   * @param hiddenUnits units per hidden layer, at least 1
   * @param batchSize mini-batch size, at least 1
   * @throws IllegalArgumentException naming the value that is out of range
   */
  public MlpSegmentTrainer(MlpConfig config, int hiddenLayers, int hiddenUnits, int batchSize) {
    // The architecture's checks are MlpParams' own; the learning rate there is a placeholder.
    params(1, hiddenLayers, hiddenUnits, batchSize);
    this.data = MlpData.load(config);
    this.hiddenLayers = hiddenLayers;
    this.hiddenUnits = hiddenUnits;
    this.batchSize = batchSize;
  }

  private static MlpParams params(
      double learningRate, int hiddenLayers, int hiddenUnits, int batchSize) {
    return new MlpParams(learningRate, hiddenLayers, hiddenUnits, batchSize, "sgd");
  }

  /** Held-out rows the accuracy is measured on. */
  public int validRows() {
    return data.valid().rows();
  }

  /**
   * Trains one segment.
   *
   * @param from the checkpoint to continue ({@link Segment#checkpoint()} of an earlier segment), or
   *     empty to start from seeded initial weights
   * @param toEpoch the epoch to train up to; at least the checkpoint's epochs (equal trains nothing
   *     and scores the checkpoint)
   * @param learningRate SGD's step size, positive
   * @param weightDecay L2 weight decay, at least 0
   * @param seed the model seed: initial weights (when starting afresh) and each epoch's batch order
   * @return the checkpoint after {@code toEpoch} epochs and its held-out accuracy
   * @throws IOException if {@code from} is not a checkpoint of this trainer's network
   * @throws IllegalArgumentException if a value is out of range, naming it
   */
  public Segment train(
      Optional<byte[]> from, int toEpoch, double learningRate, double weightDecay, long seed)
      throws IOException {
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weight_decay must be at least 0, got " + weightDecay);
    }
    MlpParams params = params(learningRate, hiddenLayers, hiddenUnits, batchSize);
    Optional<MlpCheckpoint> start = from.isEmpty() ? Optional.empty() : Optional.of(decode(from));
    int done = start.map(MlpCheckpoint::epochs).orElse(0);
    if (toEpoch < Math.max(1, done)) {
      throw new IllegalArgumentException(
          "toEpoch must be at least 1 and at least the checkpoint's "
              + done
              + " epochs, got "
              + toEpoch);
    }
    int features = data.features();
    int classes = data.classes();
    try (MlpNetwork network =
        start.isPresent()
            ? MlpNetwork.resume(params, weightDecay, features, classes, start.get())
            : MlpNetwork.create(params, weightDecay, features, classes, seed)) {
      double trainLoss = Double.NaN;
      for (int epoch = done + 1; epoch <= toEpoch; epoch++) {
        trainLoss = network.trainEpoch(data.train(), epoch, seed);
      }
      double accuracy = network.evaluate(data.valid()).accuracy();
      return new Segment(
          network.checkpoint(toEpoch).toBytes(), toEpoch, toEpoch - done, accuracy, trainLoss);
    }
  }

  private static MlpCheckpoint decode(Optional<byte[]> from) throws IOException {
    return MlpCheckpoint.fromBytes(from.orElseThrow());
  }

  /**
   * A trained segment.
   *
   * @param checkpoint the weights after {@code epochs} epochs, to continue from
   * @param epochs epochs trained in all
   * @param epochsTrained epochs this segment trained itself
   * @param accuracy held-out accuracy; a network whose training diverged predicts one class
   * @param trainLoss mean training loss of the segment's last epoch; NaN when it trained none or
   *     diverged
   */
  public record Segment(
      byte[] checkpoint, int epochs, int epochsTrained, double accuracy, double trainLoss) {}
}
