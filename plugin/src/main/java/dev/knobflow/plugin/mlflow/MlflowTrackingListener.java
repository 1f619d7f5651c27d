package dev.knobflow.plugin.mlflow;

import dev.knobflow.mlflowrest.MlflowRuns;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.MlflowTrackingException;
import dev.knobflow.mlflowrest.MlflowWriter;
import dev.knobflow.mlflowrest.RunDescriptions;
import dev.knobflow.mlflowrest.RunOutcome;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.KnobflowVersion;
import dev.knobflow.plugin.objective.CommandObjective;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a study to MLflow: the study is a parent run, each trial a child run ({@code
 * mlflow.parentRunId}) with its params, intermediate values as stepped metrics, objective values,
 * extra metrics, budget and state. Everything after the runs' creation goes through the batching
 * {@link MlflowWriter}.
 *
 * <p>{@link Builder#build()} resolves the parent run at once (so an unreachable server fails before
 * any trial runs): the run given by {@link Builder#parentRunId} ({@code MLFLOW_RUN_ID} under {@code
 * mlflow run}), else the experiment's existing run tagged {@code knobflow.study=<name>} (a resumed
 * study), else a new one. Trial runs already on the server (tags {@code knobflow.study} and {@code
 * knobflow.trial}) are reused, never duplicated.
 *
 * <pre>{@code
 * try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.fromEnvironment(System.getenv()));
 *     MlflowTrackingListener listener =
 *         MlflowTrackingListener.builder(tracking, "resnet", objectives).sampler("tpe").build()) {
 *   Study study = Study.builder("resnet").objectives(objectives).listener(listener).build();
 *   study.optimize(objective, OptimizeOptions.trials(50));   // studyFinished ends the parent run
 * }
 * }</pre>
 *
 * <p>Callbacks are thread-safe; writes are asynchronous, and {@link #close()} waits for them.
 */
public final class MlflowTrackingListener implements StudyListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowTrackingListener.class);

  /** The single-objective metric name when the study's only objective has no name of its own. */
  public static final String DEFAULT_METRIC = "value";

  /** The study summary's place in the parent run's description: first. */
  public static final RunDescriptions.Part SUMMARY_PART =
      new RunDescriptions.Part("knobflow.summary", 0);

  private final MlflowRuns runs;
  private final MlflowWriter writer;
  private final RunDescriptions descriptions;
  private final String studyName;
  private final List<Objective> objectives;
  private final String experimentId;
  private final String parentRunId;
  private final Duration flushTimeout;
  private final Map<Integer, TrialRun> trialRuns = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastMetricTime = new ConcurrentHashMap<>();
  private volatile boolean killed;

  /** A trial's child run and whether it is already ended on the server. */
  private record TrialRun(String runId, boolean ended) {}

  private MlflowTrackingListener(Builder b) {
    this.runs = b.tracking.runs();
    this.writer = b.tracking.writer();
    this.descriptions =
        b.descriptions != null ? b.descriptions : RunDescriptions.over(b.tracking.writer());
    this.studyName = b.studyName;
    this.objectives = b.objectives;
    this.flushTimeout = b.flushTimeout;
    RunRecord parent;
    if (b.parentRunId != null) {
      parent = runs.getRun(b.parentRunId);
      LOG.info(
          "MLflow: study '{}' uses the given run {} as its parent run", studyName, b.parentRunId);
    } else {
      String experiment = runs.getOrCreateExperiment(b.experiment);
      parent =
          runs.searchRuns(List.of(experiment), KnobflowTags.studyRunFilter(studyName)).stream()
              .max(Comparator.comparingLong(RunRecord::startTime))
              .orElse(null);
      if (parent == null) {
        parent = runs.createRun(experiment, studyName, studyTags(b));
        LOG.info(
            "MLflow: study '{}' is run {} in experiment {}", studyName, parent.runId(), experiment);
      } else {
        LOG.info(
            "MLflow: study '{}' continues in its run {} of experiment {}",
            studyName,
            parent.runId(),
            experiment);
      }
    }
    this.experimentId = parent.experimentId();
    this.parentRunId = parent.runId();
    // Tags may change between runs (a new seed or sampler): last write wins.
    writer.setTags(parentRunId, studyTags(b));
    for (RunRecord r :
        runs.searchRuns(List.of(experimentId), KnobflowTags.trialRunFilter(studyName))) {
      Integer number = trialNumber(r);
      if (number != null) {
        trialRuns.merge(
            number,
            new TrialRun(r.runId(), !"RUNNING".equals(r.status())),
            (a, c) -> a.ended() ? a : c);
      }
    }
  }

  /**
   * Starts describing the tracking of study {@code studyName}.
   *
   * @param tracking an open connection; the listener does not close it
   * @param objectives the study's objectives, in order
   */
  public static Builder builder(
      MlflowTracking tracking, String studyName, List<Objective> objectives) {
    return new Builder(tracking, studyName, objectives);
  }

  /** The study's parent run. */
  public String parentRunId() {
    return parentRunId;
  }

  /** The experiment holding the study's runs. */
  public String experimentId() {
    return experimentId;
  }

  /**
   * The child run of trial {@code trialNumber}. {@link #trialStarted} creates it before the trial
   * reports anything; a trial not seen yet gets its run now (the same one later callbacks use).
   */
  public String runIdFor(int trialNumber) {
    if (trialNumber < 0) {
      throw new IllegalArgumentException("trialNumber must be >= 0, got " + trialNumber);
    }
    return runFor(trialNumber).runId();
  }

  /**
   * The run descriptions this listener writes its study summary through ({@link #SUMMARY_PART});
   * others who describe the same runs (the advisor) must use this instance so that the parts are
   * combined rather than overwritten.
   */
  public RunDescriptions descriptions() {
    return descriptions;
  }

  /**
   * Logs every finished trial of {@code study} that has no ended child run yet (trials run before
   * tracking was enabled, or by a process that stopped before logging them).
   *
   * @return how many trials were logged
   */
  public int catchUp(StudyView study) {
    int logged = 0;
    for (FrozenTrial t : study.trials()) {
      if (t.state() == TrialState.COMPLETE
          || t.state() == TrialState.PRUNED
          || t.state() == TrialState.FAIL) {
        TrialRun existing = trialRuns.get(t.number());
        if (existing == null || !existing.ended()) {
          logFinished(t, true);
          logged++;
        }
      }
    }
    if (logged > 0) {
      LOG.info("MLflow: logged {} earlier trials of study '{}'", logged, studyName);
    }
    return logged;
  }

  @Override
  public void trialStarted(StudyView study, FrozenTrial trial) {
    TrialRun run = runFor(trial);
    if (!trial.params().isEmpty()) {
      writer.logParams(run.runId(), ParamText.of(trial.params()));
    }
    Object source = trial.systemAttrs().get(KnobflowTags.WARM_START_SOURCE);
    if (source != null) {
      writer.setTag(run.runId(), KnobflowTags.WARM_START_SOURCE, source.toString());
    }
  }

  @Override
  public void intermediateValueReported(
      StudyView study, FrozenTrial trial, long step, List<Double> values) {
    TrialRun run = runFor(trial);
    long now = System.currentTimeMillis();
    lastMetricTime.merge(trial.number(), now, Math::max);
    namedValues(values).forEach((k, v) -> writer.logMetric(run.runId(), k, v, now, step));
  }

  @Override
  public void trialFinished(StudyView study, FrozenTrial trial) {
    TrialRun existing = trialRuns.get(trial.number());
    if (existing != null && existing.ended()) {
      return;
    }
    logFinished(trial, false);
  }

  /** Writes the study summary on the parent run and ends it FINISHED. */
  @Override
  public void studyFinished(StudyView study) {
    if (killed) {
      return; // Ctrl-C already ended the parent run KILLED; the run's end must not undo it.
    }
    finish(study, RunOutcome.FINISHED);
  }

  /**
   * Writes the study summary on the parent run and ends it with {@code outcome} ({@code KILLED}
   * after Ctrl-C), then waits for every write to be delivered.
   */
  public void finish(StudyView study, RunOutcome outcome) {
    if (outcome == RunOutcome.KILLED) {
      killed = true;
    }
    StudySummary summary = StudySummary.of(study);
    writer.logMetrics(parentRunId, summary.metrics(), 0);
    writer.setTags(parentRunId, summary.tags());
    descriptions.put(parentRunId, SUMMARY_PART, summary.markdown());
    writer.terminate(parentRunId, outcome);
    writer.flush(flushTimeout);
  }

  /** Waits for every write to be delivered (up to the flush timeout). */
  @Override
  public void close() {
    writer.flush(flushTimeout);
  }

  /**
   * Logs a finished trial: params, final values and metrics, state; with {@code replay}, also its
   * intermediate values (a trial that finished while no listener was attached).
   */
  private void logFinished(FrozenTrial trial, boolean replay) {
    TrialRun run = runFor(trial);
    String id = run.runId();
    if (!trial.params().isEmpty()) {
      writer.logParams(id, ParamText.of(trial.params()));
    }
    long finalStep =
        trial.intermediateValues().isEmpty() ? 0 : trial.intermediateValues().lastKey();
    long completed =
        trial.completed() == null ? System.currentTimeMillis() : trial.completed().toEpochMilli();
    if (replay) {
      long before = completed - 1;
      trial
          .intermediateValues()
          .forEach(
              (step, values) ->
                  namedValues(values).forEach((k, v) -> writer.logMetric(id, k, v, before, step)));
    }
    // Later than every intermediate point, so the final value is the run's latest at its step.
    Long last = lastMetricTime.remove(trial.number());
    long at = last == null ? completed : Math.max(completed, last + 1);
    Map<String, Double> finals = new LinkedHashMap<>();
    if (!trial.values().isEmpty() && trial.values().size() == objectives.size()) {
      finals.putAll(namedValues(trial.values()));
    }
    trial.metrics().forEach((k, v) -> finals.putIfAbsent(k, v));
    if (!Double.isNaN(trial.budget())) {
      finals.put("knobflow.budget", trial.budget());
    }
    for (int i = 0; i < trial.constraints().size(); i++) {
      finals.put("constraint_" + i, trial.constraints().get(i));
    }
    finals.forEach(
        (k, v) -> {
          if (v != null && Double.isFinite(v)) {
            writer.logMetric(id, k, v, at, finalStep);
          }
        });
    logIntermediateMetrics(id, trial);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(KnobflowTags.STATE, trial.state().name());
    if (trial.failReason() != null && !trial.failReason().isBlank()) {
      tags.put(KnobflowTags.FAIL_REASON, trial.failReason());
    }
    if (trial.state() == TrialState.COMPLETE) {
      tags.put(KnobflowTags.FEASIBLE, Boolean.toString(trial.isFeasible()));
    }
    Object source = trial.systemAttrs().get(KnobflowTags.WARM_START_SOURCE);
    if (source != null) {
      tags.put(KnobflowTags.WARM_START_SOURCE, source.toString());
    }
    writer.setTags(id, tags);
    writer.terminate(id, outcomeOf(trial.state()));
    trialRuns.put(trial.number(), new TrialRun(id, true));
  }

  /** A command objective's extra per-step metrics (user attribute {@code intermediate_metrics}). */
  private void logIntermediateMetrics(String runId, FrozenTrial trial) {
    Object attr = trial.userAttrs().get(CommandObjective.INTERMEDIATE_METRICS_ATTR);
    if (!(attr instanceof Map<?, ?> bySteps)) {
      return;
    }
    for (Map.Entry<?, ?> e : bySteps.entrySet()) {
      long step;
      try {
        step = Long.parseLong(String.valueOf(e.getKey()));
      } catch (NumberFormatException notAStep) {
        continue;
      }
      if (e.getValue() instanceof Map<?, ?> values) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        values.forEach(
            (k, v) -> {
              if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                metrics.put(String.valueOf(k), n.doubleValue());
              }
            });
        if (!metrics.isEmpty()) {
          writer.logMetrics(runId, metrics, step);
        }
      }
    }
  }

  static RunOutcome outcomeOf(TrialState state) {
    return switch (state) {
      case COMPLETE -> RunOutcome.FINISHED;
      case PRUNED -> RunOutcome.KILLED;
      case FAIL -> RunOutcome.FAILED;
      default -> throw new IllegalArgumentException("trial state " + state + " is not finished");
    };
  }

  private TrialRun runFor(FrozenTrial trial) {
    return runFor(trial.number());
  }

  private TrialRun runFor(int trialNumber) {
    return trialRuns.computeIfAbsent(
        trialNumber,
        n -> {
          Map<String, String> tags = new LinkedHashMap<>();
          tags.put(KnobflowTags.STUDY, studyName);
          tags.put(KnobflowTags.RUN_TYPE, KnobflowTags.RUN_TYPE_TRIAL);
          tags.put(KnobflowTags.TRIAL, Integer.toString(n));
          return new TrialRun(
              runs.createChildRun(experimentId, parentRunId, "trial-" + n, tags).runId(), false);
        });
  }

  private Map<String, Double> namedValues(List<Double> values) {
    Map<String, Double> named = new LinkedHashMap<>();
    for (int i = 0; i < values.size() && i < objectives.size(); i++) {
      Double v = values.get(i);
      if (v != null && Double.isFinite(v)) {
        named.put(metricName(objectives.get(i)), v);
      }
    }
    return named;
  }

  private static String metricName(Objective o) {
    return o.name() == null || o.name().isBlank() ? DEFAULT_METRIC : o.name();
  }

  private static Integer trialNumber(RunRecord r) {
    try {
      return Integer.valueOf(r.tags().getOrDefault(KnobflowTags.TRIAL, ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Map<String, String> studyTags(Builder b) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(KnobflowTags.STUDY, b.studyName);
    tags.put(KnobflowTags.RUN_TYPE, KnobflowTags.RUN_TYPE_STUDY);
    tags.put(
        KnobflowTags.OBJECTIVES,
        b.objectives.stream().map(Objective::name).collect(Collectors.joining(",")));
    tags.put(
        KnobflowTags.DIRECTIONS,
        b.objectives.stream()
            .map(o -> o.direction() == Direction.MAXIMIZE ? "maximize" : "minimize")
            .collect(Collectors.joining(",")));
    if (b.sampler != null) {
      tags.put(KnobflowTags.SAMPLER, b.sampler);
    }
    if (b.seed != null) {
      tags.put(KnobflowTags.SEED, Long.toString(b.seed));
    }
    tags.put(KnobflowTags.VERSION, b.version);
    b.metaFeatures.forEach((k, v) -> tags.put(KnobflowTags.META_PREFIX + k, Double.toString(v)));
    return tags;
  }

  /** Options of a {@link MlflowTrackingListener}. */
  public static final class Builder {
    private final MlflowTracking tracking;
    private final String studyName;
    private final List<Objective> objectives;
    private String experiment;
    private String parentRunId;
    private String sampler;
    private Long seed;
    private String version = KnobflowVersion.current();
    private Map<String, Double> metaFeatures = Map.of();
    private Duration flushTimeout = Duration.ofSeconds(60);
    private RunDescriptions descriptions;

    private Builder(MlflowTracking tracking, String studyName, List<Objective> objectives) {
      this.tracking = Objects.requireNonNull(tracking, "tracking");
      if (studyName == null || studyName.isBlank()) {
        throw new IllegalArgumentException("studyName must not be blank");
      }
      if (objectives == null || objectives.isEmpty()) {
        throw new IllegalArgumentException("objectives must list at least one objective");
      }
      this.studyName = studyName;
      this.objectives = List.copyOf(objectives);
      this.experiment = studyName;
    }

    /** The experiment of a new parent run; default the study's name. Created if missing. */
    public Builder experiment(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("experiment must not be blank");
      }
      this.experiment = name;
      return this;
    }

    /**
     * Uses this existing run as the study's parent run (e.g. {@code MLFLOW_RUN_ID} set by {@code
     * mlflow run}); its experiment holds the trial runs. {@code null} to find or create one.
     */
    public Builder parentRunId(String runId) {
      this.parentRunId = runId == null || runId.isBlank() ? null : runId;
      return this;
    }

    /** The sampler's description, tag {@code knobflow.sampler}. */
    public Builder sampler(String description) {
      this.sampler = description;
      return this;
    }

    /** The sampler's seed, tag {@code knobflow.seed}. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** The Knobflow version tag; default the running version. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Dataset meta-features, tagged {@code knobflow.meta.<name>} on the parent run. */
    public Builder metaFeatures(Map<String, Double> features) {
      Map<String, Double> copy = new LinkedHashMap<>();
      features.forEach(
          (k, v) -> {
            if (v != null && Double.isFinite(v)) {
              copy.put(k.toLowerCase(Locale.ROOT), v);
            }
          });
      this.metaFeatures = copy;
      return this;
    }

    /** How long {@link #close()} and the study's end wait for writes; default 60s. */
    public Builder flushTimeout(Duration timeout) {
      this.flushTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Shares run descriptions with other writers of the same connection; default a new instance
     * over the tracking's writer.
     */
    public Builder descriptions(RunDescriptions shared) {
      this.descriptions = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /**
     * Resolves (or creates) the parent run and reads the trial runs already logged.
     *
     * @throws MlflowTrackingException when the server cannot be reached or refuses
     */
    public MlflowTrackingListener build() {
      return new MlflowTrackingListener(this);
    }
  }
}
