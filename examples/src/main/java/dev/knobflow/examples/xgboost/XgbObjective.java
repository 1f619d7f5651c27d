package dev.knobflow.examples.xgboost;

import dev.knobflow.examples.data.Split;
import dev.knobflow.examples.data.Splits;
import dev.knobflow.examples.data.Table;
import dev.knobflow.examples.metrics.BinaryClassificationMetrics;
import dev.knobflow.examples.metrics.Latency;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes XGBoost4J binary classification (by default on the bundled Breast Cancer Wisconsin data):
 * suggests {@link XgbParams}, trains {@link XgbConfig#rounds()} rounds single-threaded on a seeded
 * stratified hold-out (or k folds) and returns, by name:
 *
 * <ul>
 *   <li>{@value #ACCURACY}: validation accuracy at a 0.5 threshold (mean over folds);
 *   <li>{@value #LATENCY_MS}: milliseconds to predict 1,000 rows (validation rows repeated), median
 *       of timed repeats after warm-ups, through XGBoost's in-place prediction;
 *   <li>extra metrics {@value #LOG_LOSS}, {@value #AUC}, {@value #TRAIN_TIME_MS} and {@value
 *       #MODEL_SIZE_BYTES} (the model as UBJSON, the format XGBoost saves by default).
 * </ul>
 *
 * <p>Values are named, so a study may take any of them as objectives and keeps the rest as metrics.
 *
 * <p><b>Per-round reports.</b> The folds are boosted round by round in lockstep ({@code
 * Booster.update}, the rounds {@code XGBoost.train} runs, so the model is the same), and after
 * every round the trial reports, for each of the study's objectives in order, the value of the same
 * name on the model so far (mean over folds): {@value #ACCURACY}, {@value #LOG_LOSS}, {@value
 * #AUC}, {@value #MODEL_SIZE_BYTES}; {@value #LATENCY_MS} and anything else it cannot know per
 * round get NaN. So pruners and the advisor see the learning curve; after every round it asks
 * {@code trial.shouldPrune()} and stops when told. The last round's values are the trial's final
 * ones. When a scheduler grants the trial a budget, the budget is the number of boosting rounds,
 * and the trial keeps its boosters as its checkpoint ({@code trial.checkpoint()}): a promoted child
 * loads its parent's boosters and trains only the missing rounds (XGBoost's continue-training form
 * of {@code XGBoost.train}); {@value #ROUNDS_TRAINED} says how many rounds this trial trained, and
 * the model attribute {@value #ROUNDS_HISTORY_ATTR} lists the round counts of its lineage ({@code
 * 10,30,90}).
 *
 * <p>The public no-arg constructor reads {@link XgbConfig#fromEnvironment()}, so the CLI can load
 * the class by name. Instances are thread-safe: the data is prepared once and never changed.
 */
public final class XgbObjective implements ObjectiveFunction {

  /** Validation accuracy. */
  public static final String ACCURACY = "accuracy";

  /** Milliseconds per 1,000 predicted rows. */
  public static final String LATENCY_MS = "latency_ms";

  /** Validation log loss. */
  public static final String LOG_LOSS = "logloss";

  /** Validation ROC AUC. */
  public static final String AUC = "auc";

  /** Training wall time in milliseconds. */
  public static final String TRAIN_TIME_MS = "train_time_ms";

  /** The saved model's size in bytes. */
  public static final String MODEL_SIZE_BYTES = "model_size_bytes";

  /** Boosting rounds this trial trained itself (fewer than its budget when it continued). */
  public static final String ROUNDS_TRAINED = "rounds_trained";

  /** Booster attribute: the round counts after each trial of a lineage, comma-separated. */
  public static final String ROUNDS_HISTORY_ATTR = "knobflow_rounds";

  private static final Logger LOG = LoggerFactory.getLogger(XgbObjective.class);

  private final XgbConfig config;
  private final List<PreparedFold> folds;
  private final Latency latency;

  /** The objective configured by system properties and environment variables. */
  public XgbObjective() {
    this(XgbConfig.fromEnvironment());
  }

  /** The objective on the configured dataset. */
  public XgbObjective(XgbConfig config) {
    this(config, load(config));
  }

  /**
   * The objective on a given table with a 0/1 target.
   *
   * @throws IllegalArgumentException if a target is not 0 or 1, or the split is impossible
   */
  public XgbObjective(XgbConfig config, Table table) {
    this.config = config;
    this.latency = new Latency(config.data().latencyWarmups(), config.data().latencyRepeats());
    int[] labels = table.classLabels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            table.source()
                + ": the XGBoost example is binary classification; target column '"
                + table.targetName()
                + "' must hold 0 or 1, but row "
                + i
                + " has "
                + labels[i]);
      }
    }
    List<Split> splits =
        config.folds() == 0
            ? List.of(
                Splits.stratifiedHoldout(
                    labels, config.data().testFraction(), config.data().splitSeed()))
            : Splits.stratifiedKFold(labels, config.folds(), config.data().splitSeed());
    List<PreparedFold> prepared = new ArrayList<>();
    for (Split split : splits) {
      prepared.add(
          PreparedFold.of(split.train(table), split.test(table), config.data().latencyRows()));
    }
    this.folds = List.copyOf(prepared);
  }

  private static Table load(XgbConfig config) {
    return config.data().load(XgbConfig.BUNDLED_DATASET);
  }

  /** The configuration in use. */
  public XgbConfig config() {
    return config;
  }

  @Override
  public TrialResult evaluate(Trial trial) throws XGBoostError {
    XgbParams params = XgbParams.suggest(trial);
    int rounds = roundsFor(trial);
    boolean multiFidelity = trial.budget().isPresent();
    List<byte[]> resumed = multiFidelity ? resume(trial) : List.of();
    Map<String, Object> boosterParams = params.boosterParams(config.data().modelSeed());
    List<Objective> objectives = trial.objectives();
    boolean sizePerRound = objectives.stream().anyMatch(o -> o.name().equals(MODEL_SIZE_BYTES));
    List<FoldRun> runs = new ArrayList<>();
    try {
      for (int f = 0; f < folds.size(); f++) {
        byte[] start = resumed.isEmpty() ? null : resumed.get(f);
        runs.add(FoldRun.start(folds.get(f), boosterParams, rounds, start));
      }
      // Folds train in lockstep so that every round reports the mean over folds, as the end does.
      int first = runs.stream().mapToInt(FoldRun::done).min().orElse(rounds);
      for (int round = first + 1; round <= rounds; round++) {
        Map<String, Double> now = new LinkedHashMap<>();
        now.put(LATENCY_MS, Double.NaN); // measured once, on the final model
        for (FoldRun run : runs) {
          run.trainTo(round);
          BinaryClassificationMetrics m = run.evaluate();
          now.merge(ACCURACY, m.accuracy() / runs.size(), Double::sum);
          now.merge(LOG_LOSS, m.logLoss() / runs.size(), Double::sum);
          now.merge(AUC, m.auc() / runs.size(), Double::sum);
          if (sizePerRound) {
            now.merge(
                MODEL_SIZE_BYTES, (double) run.modelBytes().length / runs.size(), Double::sum);
          }
        }
        trial.report(
            round,
            objectives.stream().mapToDouble(o -> now.getOrDefault(o.name(), Double.NaN)).toArray());
        if (trial.shouldPrune()) {
          throw new TrialPrunedException("pruned after round " + round);
        }
      }
      double accuracy = 0;
      double logLoss = 0;
      double auc = 0;
      double trainMillis = 0;
      double modelBytes = 0;
      double roundsTrained = 0;
      double[] latencies = new double[runs.size()];
      List<byte[]> boosters = new ArrayList<>();
      for (int f = 0; f < runs.size(); f++) {
        FoldRun run = runs.get(f);
        BinaryClassificationMetrics m = run.finish(rounds);
        accuracy += m.accuracy();
        logLoss += m.logLoss();
        auc += m.auc();
        trainMillis += run.trainNanos() / 1e6;
        roundsTrained += rounds - run.done();
        latencies[f] = latencyMillis(run);
        byte[] saved = run.modelBytes();
        modelBytes += saved.length;
        boosters.add(saved);
      }
      if (multiFidelity) {
        save(trial, boosters);
      }
      int n = runs.size();
      Map<String, Double> values = new LinkedHashMap<>();
      values.put(ACCURACY, accuracy / n);
      values.put(LATENCY_MS, Latency.median(latencies));
      values.put(LOG_LOSS, logLoss / n);
      values.put(AUC, auc / n);
      values.put(TRAIN_TIME_MS, trainMillis / n);
      values.put(MODEL_SIZE_BYTES, modelBytes / n);
      values.put(ROUNDS_TRAINED, roundsTrained / n);
      return TrialResult.ofNamed(values);
    } finally {
      runs.forEach(FoldRun::dispose);
    }
  }

  /** Milliseconds to predict 1,000 rows with the fold's final model. */
  private double latencyMillis(FoldRun run) throws XGBoostError {
    PreparedFold fold = run.fold();
    Booster model = run.booster();
    double millis;
    try {
      millis =
          latency.medianMillis(() -> predict(model, fold.latencyBatch(), fold.latencyRows(), fold));
    } catch (XGBoostError | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("latency measurement failed: " + e, e);
    }
    // Scale to 1,000 rows so the figure keeps its meaning if latency-rows is changed.
    return millis * 1000.0 / fold.latencyRows();
  }

  /** The boosters of this trial's own or nearest ancestor's checkpoint, one per fold, if usable. */
  private List<byte[]> resume(Trial trial) {
    var saved = trial.checkpoint().load();
    if (saved.isEmpty()) {
      return List.of();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.get()))) {
      int count = in.readInt();
      if (count != folds.size()) {
        LOG.warn(
            "trial {}: the checkpoint holds {} boosters but there are {} folds; training from"
                + " scratch",
            trial.number(),
            count,
            folds.size());
        return List.of();
      }
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(in.readNBytes(in.readInt()));
      }
      return out;
    } catch (IOException e) {
      LOG.warn("trial {}: unreadable checkpoint ({}); training from scratch", trial.number(), e);
      return List.of();
    }
  }

  /** Saves the boosters (one per fold) as the trial's checkpoint, if they fit. */
  private static void save(Trial trial, List<byte[]> boosters) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(boosters.size());
      for (byte[] b : boosters) {
        out.writeInt(b.length);
        out.write(b);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the boosters: " + e, e);
    }
    if (bytes.size() > Checkpoint.MAX_BYTES) {
      LOG.warn(
          "trial {}: boosters of {} bytes exceed the checkpoint limit of {}; a promoted child will"
              + " train from scratch",
          trial.number(),
          bytes.size(),
          Checkpoint.MAX_BYTES);
      return;
    }
    trial.checkpoint().save(bytes.toByteArray());
  }

  private int roundsFor(Trial trial) {
    var budget = trial.budget();
    return budget.isPresent()
        ? (int) Math.max(1, Math.round(budget.getAsDouble()))
        : config.rounds();
  }

  /** The saved booster to continue, or null to start over (none, or it already has more rounds). */
  private static Booster continued(byte[] start, int rounds) throws XGBoostError {
    if (start == null) {
      return null;
    }
    try {
      Booster loaded = XGBoost.loadModel(start);
      if (loaded.getNumBoostedRound() > rounds) {
        loaded.dispose();
        return null;
      }
      return loaded;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the saved booster: " + e, e);
    }
  }

  // In-place prediction on a dense array: no DMatrix, so no prediction cache to flatter repeats.
  private static float[][] predict(Booster booster, float[] rows, int rowCount, PreparedFold fold)
      throws XGBoostError {
    return booster.inplace_predict(rows, rowCount, fold.columns(), Float.NaN);
  }

  private static float[] column0(float[][] predictions) {
    float[] out = new float[predictions.length];
    for (int i = 0; i < predictions.length; i++) {
      out[i] = predictions[i][0];
    }
    return out;
  }

  /**
   * One fold's booster trained round by round: {@link #trainTo} runs the rounds XGBoost's {@code
   * train} would (the same iteration numbers, so the same model), the caller evaluates in between.
   */
  private static final class FoldRun {
    private final PreparedFold fold;
    private final DMatrix train;
    private final Booster booster;
    private final int done;
    private long trainNanos;

    private FoldRun(PreparedFold fold, DMatrix train, Booster booster, int done, long nanos) {
      this.fold = fold;
      this.train = train;
      this.booster = booster;
      this.done = done;
      this.trainNanos = nanos;
    }

    /** A fresh booster, or the saved one (when usable) with its {@code done} rounds. */
    static FoldRun start(PreparedFold fold, Map<String, Object> params, int rounds, byte[] saved)
        throws XGBoostError {
      DMatrix train = new DMatrix(fold.trainX(), fold.trainRows(), fold.columns(), Float.NaN);
      try {
        train.setLabel(fold.trainY());
        long begin = System.nanoTime();
        Booster booster = continued(saved, rounds);
        if (booster == null) {
          // Zero rounds: XGBoost.train's own set-up (parameters, feature names), nothing boosted.
          booster = XGBoost.train(train, params, 0, new HashMap<>(), null, null);
        } else {
          booster.setParams(params); // as XGBoost.train does before continuing a booster
        }
        int done = booster.getNumBoostedRound();
        return new FoldRun(fold, train, booster, done, System.nanoTime() - begin);
      } catch (XGBoostError | RuntimeException e) {
        train.dispose();
        throw e;
      }
    }

    PreparedFold fold() {
      return fold;
    }

    Booster booster() {
      return booster;
    }

    /** Rounds the booster had before this trial. */
    int done() {
      return done;
    }

    long trainNanos() {
      return trainNanos;
    }

    /** Boosts round {@code round} (1-based over the lineage) unless the booster already has it. */
    void trainTo(int round) throws XGBoostError {
      if (round > done) {
        long begin = System.nanoTime();
        booster.update(train, round - done - 1);
        trainNanos += System.nanoTime() - begin;
      }
    }

    /** Validation metrics of the model as it stands. */
    BinaryClassificationMetrics evaluate() throws XGBoostError {
      float[] probabilities = column0(predict(booster, fold.validX(), fold.validRows(), fold));
      return BinaryClassificationMetrics.of(probabilities, fold.validY());
    }

    /** Records the lineage's round counts on the booster; the final validation metrics. */
    BinaryClassificationMetrics finish(int rounds) throws XGBoostError {
      String history = booster.getAttr(ROUNDS_HISTORY_ATTR);
      booster.setAttr(
          ROUNDS_HISTORY_ATTR, (history == null || done == 0 ? "" : history + ",") + rounds);
      return evaluate();
    }

    /** The model as UBJSON, the format XGBoost saves by default. */
    byte[] modelBytes() throws XGBoostError {
      return booster.toByteArray("ubj");
    }

    void dispose() {
      booster.dispose();
      train.dispose();
    }
  }

  /** One split's data in the dense float layout XGBoost takes, prepared once. */
  private record PreparedFold(
      int columns,
      float[] trainX,
      float[] trainY,
      int trainRows,
      float[] validX,
      float[] validY,
      int validRows,
      float[] latencyBatch,
      int latencyRows) {

    static PreparedFold of(Table train, Table valid, int latencyRows) {
      int columns = train.featureCount();
      float[] validX = valid.featuresRowMajor();
      // The timed batch repeats the validation rows until it has latencyRows rows.
      float[] batch = new float[latencyRows * columns];
      for (int r = 0; r < latencyRows; r++) {
        System.arraycopy(validX, (r % valid.rowCount()) * columns, batch, r * columns, columns);
      }
      return new PreparedFold(
          columns,
          train.featuresRowMajor(),
          train.targetsAsFloats(),
          train.rowCount(),
          validX,
          valid.targetsAsFloats(),
          valid.rowCount(),
          batch,
          latencyRows);
    }
  }
}
