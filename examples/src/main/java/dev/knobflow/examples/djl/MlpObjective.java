package dev.knobflow.examples.djl;

import dev.knobflow.examples.data.Table;
import dev.knobflow.examples.metrics.Latency;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes a multi-layer perceptron on DJL's PyTorch CPU engine (by default on the bundled digits
 * data, 8x8 images in 10 classes): suggests {@link MlpParams}, trains on a seeded stratified split
 * and returns, by name:
 *
 * <ul>
 *   <li>{@value #ACCURACY}: held-out accuracy;
 *   <li>{@value #LATENCY_MS}: milliseconds to predict one held-out row (rows predicted one at a
 *       time, median of timed runs after warm-ups);
 *   <li>extra metrics {@value #TRAIN_LOSS}, {@value #VAL_LOSS}, {@value #TRAIN_TIME_MS}, {@value
 *       #PARAMETERS} and {@value #EPOCHS_TRAINED}.
 * </ul>
 *
 * <p><b>Per-epoch reports.</b> After every epoch the trial reports, for each of the study's
 * objectives in order, the value of the same name measured so far: {@value #ACCURACY} (held-out),
 * {@value #LATENCY_MS} (measured once before training: an MLP's latency does not depend on its
 * weights), {@value #TRAIN_LOSS} or {@value #VAL_LOSS}; an objective this class cannot know per
 * epoch (a measured {@code energy_wh}) gets NaN. So the advisor and the report's curves see the
 * learning curve. When the epoch's training loss is not finite, training has broken down: that
 * epoch's accuracy is reported as NaN (the network predicts nothing meaningful), and the trial
 * fails with a message naming the epoch and learning rate.
 *
 * <p><b>Budgets.</b> When a scheduler grants the trial a budget, the budget is the number of
 * epochs; the trial saves its weights as its checkpoint and a promoted child continues from its
 * parent's weights, training only the missing epochs (see {@link MlpCheckpoint}). Without a budget
 * it trains {@link MlpConfig#epochs()} epochs. It asks {@code trial.shouldPrune()} after every
 * epoch.
 *
 * <p>The public no-arg constructor reads {@link MlpConfig#fromEnvironment()}, so the CLI can load
 * the class by name. Instances are thread-safe: the data is prepared once and never changed; each
 * trial builds its own network.
 */
public final class MlpObjective implements ObjectiveFunction {

  /** Held-out accuracy. */
  public static final String ACCURACY = "accuracy";

  /** Milliseconds per single-row prediction. */
  public static final String LATENCY_MS = "latency_ms";

  /** Mean training loss of the last epoch. */
  public static final String TRAIN_LOSS = "train_loss";

  /** Held-out loss after the last epoch. */
  public static final String VAL_LOSS = "val_loss";

  /** Training wall time in milliseconds (this trial's epochs only). */
  public static final String TRAIN_TIME_MS = "train_time_ms";

  /** Trainable parameters of the network. */
  public static final String PARAMETERS = "parameters";

  /** Epochs this trial trained itself (fewer than its budget when it continued a parent). */
  public static final String EPOCHS_TRAINED = "epochs_trained";

  private static final Logger LOG = LoggerFactory.getLogger(MlpObjective.class);

  private final MlpConfig config;
  private final MlpNetwork.Data train;
  private final MlpNetwork.Data valid;
  private final int features;
  private final int classes;
  private final Latency latency;

  /** The objective configured by system properties and environment variables. */
  public MlpObjective() {
    this(MlpConfig.fromEnvironment());
  }

  /** The objective on the configured dataset. */
  public MlpObjective(MlpConfig config) {
    this(config, MlpData.load(config));
  }

  /**
   * The objective on a given table whose target holds class labels 0..k-1.
   *
   * @throws IllegalArgumentException if a label is negative or not a whole number, or fewer than
   *     two classes occur
   */
  public MlpObjective(MlpConfig config, Table table) {
    this(config, MlpData.of(config, table));
  }

  private MlpObjective(MlpConfig config, MlpData data) {
    this.config = config;
    this.latency = new Latency(config.data().latencyWarmups(), config.data().latencyRepeats());
    this.train = data.train();
    this.valid = data.valid();
    this.features = data.features();
    this.classes = data.classes();
  }

  /** The configuration in use. */
  public MlpConfig config() {
    return config;
  }

  /** Training rows. */
  public int trainRows() {
    return train.rows();
  }

  /** Held-out rows. */
  public int validRows() {
    return valid.rows();
  }

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    MlpParams params = MlpParams.suggest(trial);
    boolean multiFidelity = trial.budget().isPresent();
    int epochs =
        multiFidelity
            ? (int) Math.max(1, Math.round(trial.budget().getAsDouble()))
            : config.epochs();
    Optional<MlpCheckpoint> start = multiFidelity ? resume(trial, epochs) : Optional.empty();
    int done = start.map(MlpCheckpoint::epochs).orElse(0);
    List<Objective> objectives = trial.objectives();
    try (MlpNetwork network =
        start.isPresent()
            ? MlpNetwork.resume(params, features, classes, start.get())
            : MlpNetwork.create(params, features, classes, config.data().modelSeed())) {
      double latencyMillis =
          network.latencyMillisPerRow(valid, config.data().latencyRows(), latency);
      long begin = System.nanoTime();
      double trainLoss = Double.NaN;
      MlpNetwork.Evaluation eval = null;
      for (int epoch = done + 1; epoch <= epochs; epoch++) {
        trainLoss = network.trainEpoch(train, epoch, config.data().modelSeed());
        boolean broken = !Double.isFinite(trainLoss);
        eval = broken ? new MlpNetwork.Evaluation(Double.NaN, Double.NaN) : network.evaluate(valid);
        Map<String, Double> now = new LinkedHashMap<>();
        now.put(ACCURACY, eval.accuracy());
        now.put(LATENCY_MS, latencyMillis);
        now.put(TRAIN_LOSS, trainLoss);
        now.put(VAL_LOSS, eval.loss());
        trial.report(
            epoch,
            objectives.stream().mapToDouble(o -> now.getOrDefault(o.name(), Double.NaN)).toArray());
        if (broken) {
          throw new IllegalStateException(
              String.format(
                  "training diverged at epoch %d: mean training loss %s (lr=%s, optimizer=%s)",
                  epoch, trainLoss, params.learningRate(), params.optimizer()));
        }
        if (trial.shouldPrune()) {
          throw new TrialPrunedException("pruned after epoch " + epoch);
        }
      }
      double trainMillis = (System.nanoTime() - begin) / 1e6;
      if (eval == null) {
        // The checkpoint already had every epoch of the budget.
        eval = network.evaluate(valid);
      }
      if (multiFidelity) {
        save(trial, network.checkpoint(epochs).toBytes());
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put(ACCURACY, eval.accuracy());
      values.put(LATENCY_MS, latencyMillis);
      values.put(VAL_LOSS, eval.loss());
      if (Double.isFinite(trainLoss)) {
        values.put(TRAIN_LOSS, trainLoss);
      }
      values.put(TRAIN_TIME_MS, trainMillis);
      values.put(PARAMETERS, (double) network.parameterCount());
      values.put(EPOCHS_TRAINED, (double) (epochs - done));
      return TrialResult.ofNamed(values);
    }
  }

  /** The weights of this trial's or its nearest ancestor's checkpoint, if usable for the budget. */
  private static Optional<MlpCheckpoint> resume(Trial trial, int epochs) {
    Optional<byte[]> saved = trial.checkpoint().load();
    if (saved.isEmpty()) {
      return Optional.empty();
    }
    try {
      MlpCheckpoint checkpoint = MlpCheckpoint.fromBytes(saved.get());
      return checkpoint.epochs() <= epochs ? Optional.of(checkpoint) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("trial {}: unreadable checkpoint ({}); training from scratch", trial.number(), e);
      return Optional.empty();
    }
  }

  private static void save(Trial trial, byte[] bytes) {
    if (bytes.length > Checkpoint.MAX_BYTES) {
      LOG.warn(
          "trial {}: weights of {} bytes exceed the checkpoint limit of {}; a promoted child will"
              + " train from scratch",
          trial.number(),
          bytes.length,
          Checkpoint.MAX_BYTES);
      return;
    }
    trial.checkpoint().save(bytes);
  }
}
