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
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.KnobflowVersion;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.objective.CommandObjective;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
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

  /** Prefix of the study run's best-so-far metrics ({@code best/accuracy}), stepped by trial. */
  public static final String BEST_PREFIX = "best/";

  private final MlflowRuns runs;
  private final MlflowWriter writer;
  private final RunDescriptions descriptions;
  private final String studyName;
  private final List<Objective> objectives;
  private final String trackingUri;
  private final @Nullable String givenRunId;
  private final Map<String, String> studyTags;
  private volatile String experimentId;
  private volatile @Nullable String parentRunId;
  private volatile @Nullable MlflowStudyStorage storageRuns;
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
    this.trackingUri = b.tracking.connection().trackingUri().toString();
    this.givenRunId = b.parentRunId;
    this.studyTags = studyTags(b);
    // The experiment now (an unreachable server fails before any trial runs); the study run once
    // the study exists (bind), since it is found by the id kept in the study's storage.
    this.experimentId =
        givenRunId != null
            ? runs.getRun(givenRunId).experimentId()
            : runs.getOrCreateExperiment(b.experiment, KnobflowTags.EXPERIMENT_TAGS);
  }

  /**
   * Finds or creates the study's run; called before the trials run ({@link StudyTracking}), else at
   * the first callback. The study run is the one whose id the study's storage keeps (attribute
   * {@value KnobflowTags#STUDY_RUN_ATTR}), never one found by name: a new study that reuses a name
   * gets a run of its own, a continued study continues its run. With the MLflow storage on the same
   * server the storage's study run is the study run and its trial runs are the trial runs, so one
   * study is one run tree. A run given by {@code MLFLOW_RUN_ID} becomes the study run of a study
   * that has none yet; otherwise it is ended with a link to the study's run.
   */
  public synchronized void bind(Study study) {
    if (parentRunId != null) {
      return;
    }
    StudyStorage storage = study.storage();
    if (storage instanceof MlflowStudyStorage m && sameServer(m.trackingUri(), trackingUri)) {
      parentRunId =
          m.studyRunId(studyName)
              .orElseThrow(() -> new IllegalStateException("study run of '" + studyName + "'"));
      storageRuns = m;
      Object kept =
          m.findStudy(studyName).map(r -> r.attrs().get(KnobflowTags.STUDY_RUN_ATTR)).orElse(null);
      if (!parentRunId.equals(kept)) {
        m.setStudyAttr(studyName, KnobflowTags.STUDY_RUN_ATTR, parentRunId);
      }
      if (givenRunId != null && !givenRunId.equals(parentRunId)) {
        linkToStudyRun(givenRunId, parentRunId);
      }
    } else {
      Object kept =
          storage
              .findStudy(studyName)
              .map(r -> r.attrs().get(KnobflowTags.STUDY_RUN_ATTR))
              .orElse(null);
      String keptId = kept instanceof String k && !k.isBlank() && exists(k) ? k : null;
      if (givenRunId != null && (keptId == null || keptId.equals(givenRunId))) {
        parentRunId = givenRunId;
        LOG.info(
            "MLflow: study '{}' uses the given run {} as its study run", studyName, givenRunId);
      } else if (keptId != null) {
        parentRunId = keptId;
        LOG.info("MLflow: study '{}' continues in its run {}", studyName, keptId);
        if (givenRunId != null) {
          linkToStudyRun(givenRunId, keptId);
        }
      } else {
        parentRunId = runs.createRun(experimentId, studyName, studyTags).runId();
        LOG.info(
            "MLflow: study '{}' is run {} in experiment {}", studyName, parentRunId, experimentId);
      }
      if (!parentRunId.equals(keptId)) {
        storage.setStudyAttr(studyName, KnobflowTags.STUDY_RUN_ATTR, parentRunId);
      }
    }
    this.experimentId = runs.getRun(parentRunId).experimentId();
    // Tags may change between runs (a new seed or sampler): last write wins.
    writer.setTags(parentRunId, studyTags);
    for (RunRecord r :
        runs.searchRuns(List.of(experimentId), KnobflowTags.trialRunsOf(parentRunId))) {
      Integer number = trialNumber(r);
      if (number != null) {
        trialRuns.merge(
            number,
            new TrialRun(r.runId(), !"RUNNING".equals(r.status())),
            (a, c) -> a.ended() ? a : c);
      }
    }
  }

  private boolean exists(String runId) {
    try {
      runs.getRun(runId);
      return true;
    } catch (MlflowTrackingException e) {
      LOG.warn(
          "MLflow: the study's run {} is gone ({}); starting a new one", runId, e.getMessage());
      return false;
    }
  }

  private static boolean sameServer(String a, String b) {
    return stripSlash(a).equals(stripSlash(b));
  }

  private static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** Ends a run {@code mlflow run} made that is not the study's run, pointing to the study run. */
  private void linkToStudyRun(String runId, String studyRunId) {
    linkToStudyRun(writer, descriptions, studyName, runId, studyRunId);
  }

  /**
   * Ends {@code runId} (a run {@code mlflow run} made for a command that works on a study whose run
   * is {@code studyRunId}) {@code FINISHED}, with a {@code knobflow.study_run} tag and a
   * description that point to the study run, so that no empty run is left.
   */
  public static void linkToStudyRun(
      MlflowWriter writer,
      RunDescriptions descriptions,
      String studyName,
      String runId,
      String studyRunId) {
    writer.setTag(runId, KnobflowTags.STUDY_RUN, studyRunId);
    writer.setTag(runId, KnobflowTags.STUDY, studyName);
    descriptions.put(
        runId,
        SUMMARY_PART,
        "This run worked on study **"
            + studyName
            + "**, whose trials and report are in its study run `"
            + studyRunId
            + "`.");
    writer.terminate(runId, RunOutcome.FINISHED);
  }

  private void ensureBound(StudyView study) {
    if (parentRunId == null && study instanceof Study s) {
      bind(s);
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

  /**
   * The study's run.
   *
   * @throws IllegalStateException before {@link #bind} (or the first callback)
   */
  public String parentRunId() {
    if (parentRunId == null) {
      throw new IllegalStateException("study '" + studyName + "' is not bound to its run yet");
    }
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
    ensureBound(study);
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
    ensureBound(study);
    TrialRun run = runFor(trial);
    if (!trial.params().isEmpty() && storageRuns == null) {
      writer.logParams(run.runId(), ParamText.of(trial.params()));
    }
    Map<String, String> tags = attributeTags(trial);
    if (!tags.isEmpty()) {
      writer.setTags(run.runId(), tags);
    }
  }

  /**
   * Tags read from the trial's system attributes, set when the trial is created: where a
   * warm-started trial came from, and a PBT segment's member, generation and lineage.
   */
  static Map<String, String> attributeTags(FrozenTrial trial) {
    Map<String, Object> attrs = trial.systemAttrs();
    Map<String, String> tags = new LinkedHashMap<>();
    Object source = attrs.get(KnobflowTags.WARM_START_SOURCE);
    if (source != null) {
      tags.put(KnobflowTags.WARM_START_SOURCE, source.toString());
    }
    if (attrs.get(PbtScheduler.MEMBER_ATTR) instanceof Number member) {
      tags.put(KnobflowTags.PBT_MEMBER, Integer.toString(member.intValue()));
      if (attrs.get(PbtScheduler.GENERATION_ATTR) instanceof Number generation) {
        tags.put(KnobflowTags.PBT_GENERATION, Integer.toString(generation.intValue()));
      }
    }
    if (attrs.get(PbtScheduler.EXPLOIT_ATTR) instanceof Map<?, ?> lineage
        && lineage.get("from_member") instanceof Number from
        && lineage.get("from_trial") instanceof Number fromTrial) {
      tags.put(
          KnobflowTags.PBT_EXPLOIT,
          "member " + from.intValue() + " (trial " + fromTrial.intValue() + ")");
    }
    return tags;
  }

  @Override
  public void intermediateValueReported(
      StudyView study, FrozenTrial trial, long step, List<Double> values) {
    ensureBound(study);
    if (storageRuns != null) {
      return; // the storage logs intermediate values on the trial run
    }
    TrialRun run = runFor(trial);
    long now = System.currentTimeMillis();
    lastMetricTime.merge(trial.number(), now, Math::max);
    namedValues(values).forEach((k, v) -> writer.logMetric(run.runId(), k, v, now, step));
  }

  @Override
  public void trialFinished(StudyView study, FrozenTrial trial) {
    ensureBound(study);
    TrialRun existing = trialRuns.get(trial.number());
    if (existing != null && existing.ended()) {
      return;
    }
    logFinished(trial, false);
    logBestSoFar(study);
  }

  /**
   * The study run's history chart: each objective's best value among the trials finished so far,
   * stepped by how many have finished. (Stepping by trial number drew a worse "best" whenever a
   * later trial finished before an earlier one, with parallel trials or several workers.)
   */
  private void logBestSoFar(StudyView study) {
    Map<String, Double> best = new LinkedHashMap<>();
    List<FrozenTrial> trials = study.trials();
    int finished = 0;
    for (FrozenTrial t : trials) {
      if (t.state().isFinished()) {
        finished++;
      }
      if (t.state() != TrialState.COMPLETE || !t.isFeasible()) {
        continue;
      }
      for (int i = 0; i < objectives.size() && i < t.values().size(); i++) {
        Double v = t.values().get(i);
        if (v == null || !Double.isFinite(v)) {
          continue;
        }
        boolean max = objectives.get(i).direction() == Direction.MAXIMIZE;
        best.merge(
            BEST_PREFIX + metricName(objectives.get(i)),
            v,
            (a, c) -> max ? Math.max(a, c) : Math.min(a, c));
      }
    }
    if (best.isEmpty()) {
      return;
    }
    if (storageRuns != null) {
      // The storage's study run: the points ride with its next number claim (fewer requests).
      storageRuns.logStudyRunMetrics(studyName, best, finished - 1);
    } else {
      writer.logMetrics(parentRunId, best, finished - 1);
    }
  }

  /** Writes the study summary on the parent run and ends it FINISHED. */
  @Override
  public void studyFinished(StudyView study) {
    if (killed) {
      return; // Ctrl-C already ended the parent run KILLED; the run's end must not undo it.
    }
    ensureBound(study);
    // Several workers share the study: its run ends when the study's trial target is reached, or
    // KILLED with a reason when the last worker stops short of it; otherwise the others go on.
    Integer target = trialTarget(study);
    List<FrozenTrial> trials = study.trials();
    long finished = trials.stream().filter(t -> t.state().isFinished()).count();
    long running = trials.stream().filter(t -> t.state() == TrialState.RUNNING).count();
    if (target == null || finished >= target) {
      finish(study, RunOutcome.FINISHED);
    } else if (running == 0) {
      writer.setTag(
          parentRunId,
          KnobflowTags.END_REASON,
          "stopped after " + finished + " of " + target + " trials; resume or add workers");
      finish(study, RunOutcome.KILLED);
    } else {
      writeSummary(study);
      writer.flush(flushTimeout);
    }
  }

  /** The study's trial target kept in its storage (set by {@code tune}), if any. */
  private static @Nullable Integer trialTarget(StudyView study) {
    if (study instanceof Study s) {
      Object target =
          s.storage()
              .findStudy(s.name())
              .map(r -> r.attrs().get(KnobflowTags.TRIALS_TARGET_ATTR))
              .orElse(null);
      if (target instanceof Number n) {
        return n.intValue();
      }
    }
    return null;
  }

  /**
   * Writes the study summary on the parent run and ends it with {@code outcome} ({@code KILLED}
   * after Ctrl-C), then waits for every write to be delivered.
   */
  public void finish(StudyView study, RunOutcome outcome) {
    if (outcome == RunOutcome.KILLED) {
      killed = true;
    }
    ensureBound(study);
    writeSummary(study);
    writer.terminate(parentRunId, outcome);
    writer.flush(flushTimeout);
  }

  private void writeSummary(StudyView study) {
    StudySummary summary = StudySummary.of(study);
    writer.logMetrics(parentRunId, summary.metrics(), 0);
    writer.setTags(parentRunId, summary.tags());
    descriptions.put(parentRunId, SUMMARY_PART, summary.markdown());
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
    if (storageRuns != null) {
      // The storage wrote params, values, state, status and feasibility on this run (in its
      // finishing request); add what it does not.
      logIntermediateMetrics(id, trial);
      Map<String, String> tags = attributeTags(trial);
      if (!tags.isEmpty()) {
        writer.setTags(id, tags);
      }
      trialRuns.put(trial.number(), new TrialRun(id, true));
      return;
    }
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
    tags.putAll(attributeTags(trial));
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
          if (storageRuns != null) {
            return new TrialRun(storageRuns.trialRunId(studyName, n), false);
          }
          Map<String, String> tags = new LinkedHashMap<>();
          tags.put(KnobflowTags.STUDY, studyName);
          tags.put(KnobflowTags.RUN_TYPE, KnobflowTags.RUN_TYPE_TRIAL);
          tags.put(KnobflowTags.TRIAL, Integer.toString(n));
          return new TrialRun(
              runs.createChildRun(
                      experimentId, parentRunId(), KnobflowTags.trialRunName(studyName, n), tags)
                  .runId(),
              false);
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

  private static @Nullable Integer trialNumber(RunRecord r) {
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
    private @Nullable String parentRunId;
    private @Nullable String sampler;
    private @Nullable Long seed;
    private String version = KnobflowVersion.current();
    private Map<String, Double> metaFeatures = Map.of();
    private Duration flushTimeout = Duration.ofSeconds(60);
    private @Nullable RunDescriptions descriptions;

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
    public Builder parentRunId(@Nullable String runId) {
      this.parentRunId = runId == null || runId.isBlank() ? null : runId;
      return this;
    }

    /** The sampler's description, tag {@code knobflow.sampler}. */
    public Builder sampler(String description) {
      this.sampler = description;
      return this;
    }

    /** The sampler's seed, tag {@code knobflow.seed}; {@code null} when not fixed. */
    public Builder seed(@Nullable Long seed) {
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
