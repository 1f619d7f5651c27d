package dev.knobflow.plugin.mlflow;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunOutcome;
import dev.knobflow.mlflowrest.WriterOptions;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.advice.MlflowReportSink;
import dev.knobflow.plugin.advice.TrackingRunIds;
import dev.knobflow.plugin.config.SamplerSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.report.ReportUpload;
import dev.knobflow.plugin.report.Reports;
import dev.knobflow.plugin.runtime.StudyRunner;
import dev.knobflow.plugin.warmstart.MetaFeatures;
import dev.knobflow.plugin.warmstart.PastStudy;
import dev.knobflow.plugin.warmstart.PlannedConfiguration;
import dev.knobflow.plugin.warmstart.WarmStart;
import dev.knobflow.plugin.warmstart.WarmStartPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow side of one {@code tune}: opens the tracking connection, computes the dataset's
 * meta-features, attaches a {@link MlflowTrackingListener} to the runner, logs trials finished
 * earlier (a journal study mirrored to MLflow) and enqueues warm-start configurations. When the
 * study file and environment enable no tracking, every method does nothing.
 *
 * <pre>{@code
 * MlflowSettings settings = MlflowSettings.read(file, config.name(), System.getenv());
 * try (StudyTracking tracking = StudyTracking.open(config, settings, System.getenv());
 *     StudyRunner runner = tracking.attach(StudyRunner.builder(config)).build()) {
 *   tracking.prepare(runner.study());
 *   runner.run();
 * }
 * }</pre>
 */
public final class StudyTracking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StudyTracking.class);

  private final MlflowSettings settings;
  private final @Nullable StudyConfig config;
  private final @Nullable MlflowTracking tracking;
  private final @Nullable MlflowTrackingListener listener;
  private final Map<String, Double> metaFeatures;

  private StudyTracking(
      @Nullable StudyConfig config,
      MlflowSettings settings,
      @Nullable MlflowTracking tracking,
      @Nullable MlflowTrackingListener listener,
      Map<String, Double> metaFeatures) {
    this.config = config;
    this.settings = settings;
    this.tracking = tracking;
    this.listener = listener;
    this.metaFeatures = metaFeatures;
  }

  /** Tracking that does nothing. */
  public static StudyTracking disabled() {
    return new StudyTracking(null, MlflowSettings.none(), null, null, Map.of());
  }

  /**
   * Connects to the tracking server (when enabled) and resolves the study's parent run.
   *
   * @param env environment variables: credentials ({@code MLFLOW_TRACKING_TOKEN}, ...)
   * @throws StudyFileException when the dataset cannot be read
   * @throws dev.knobflow.mlflowrest.MlflowTrackingException naming the URI when the server cannot
   *     be reached
   */
  public static StudyTracking open(
      StudyConfig config, MlflowSettings settings, Map<String, String> env) {
    settings = settings.withStorageTracking(config.storage(), config.name(), env);
    if (settings.tracking().isEmpty()) {
      if (settings.dataset().isPresent()) {
        LOG.info("dataset meta-features are only used with MLflow tracking; none is configured");
      }
      return disabled();
    }
    Map<String, Double> meta =
        settings.dataset().map(d -> metaFeatures(config, d)).orElse(Map.of());
    MlflowSettings.Tracking target = settings.tracking().get();
    MlflowTracking tracking =
        MlflowTracking.open(MlflowConnection.of(target.uri(), env), WriterOptions.defaults());
    try {
      MlflowTrackingListener listener =
          MlflowTrackingListener.builder(tracking, config.name(), config.objectives())
              .experiment(target.experiment())
              .parentRunId(target.parentRunId().orElse(null))
              .sampler(describe(config.sampler()))
              .seed(config.seed().isPresent() ? config.seed().getAsLong() : null)
              .metaFeatures(meta)
              .build();
      return new StudyTracking(config, settings, tracking, listener, meta);
    } catch (RuntimeException e) {
      tracking.close();
      throw e;
    }
  }

  private static Map<String, Double> metaFeatures(StudyConfig config, MlflowSettings.Dataset d) {
    try {
      Map<String, Double> meta = MetaFeatures.defaults().fromCsv(d.path(), d.target()).asMap();
      LOG.info("dataset {}: {} meta-features", d.path().getFileName(), meta.size());
      return meta;
    } catch (IllegalArgumentException e) {
      throw StudyFileException.of("study '" + config.name() + "'", "dataset", e.getMessage());
    }
  }

  private static String describe(SamplerSpec spec) {
    return spec.settings().isEmpty() ? spec.type() : spec.type() + " " + spec.settings();
  }

  /** Whether trials are tracked. */
  public boolean enabled() {
    return listener != null;
  }

  /** The listener, when tracking is enabled. */
  public Optional<MlflowTrackingListener> listener() {
    return Optional.ofNullable(listener);
  }

  /** The dataset's meta-features (empty without a dataset). */
  public Map<String, Double> metaFeatures() {
    return metaFeatures;
  }

  /** A line for the terminal: where the study is tracked, or empty when it is not. */
  public Optional<String> describe() {
    if (listener == null) {
      return Optional.empty();
    }
    // MLflow 3's UI shows GenAI pages unless asked for model training (workflowType).
    return Optional.of(
        "MLflow: study run "
            + listener.parentRunId()
            + " in experiment "
            + listener.experimentId()
            + ": "
            + tracking.connection().trackingUri()
            + "/#/experiments/"
            + listener.experimentId()
            + "/runs/"
            + listener.parentRunId()
            + "?workflowType=machine_learning");
  }

  /**
   * When tracking is enabled, adds the tracking listener to {@code builder}, and an {@link
   * MlflowReportSink} for the advisor (used when the study file has an {@code advisor:} block): its
   * reports become artifacts of the trial runs and the parent run, and its summary joins the
   * tracking summary in the runs' descriptions; and the study run's artifacts as the store of
   * {@code objective.checkpoints: mlflow} ({@link MlflowCheckpointStore}).
   */
  public StudyRunner.Builder attach(StudyRunner.Builder builder) {
    if (listener != null) {
      builder.listener(listener);
      builder.advisorReports(
          MlflowReportSink.of(
              tracking.artifacts(), listener.descriptions(), runIds(listener), tracking.writer()));
      builder.checkpointStore(
          MlflowCheckpointStore.of(tracking.artifacts(), listener::parentRunId));
      builder.priorObservations(
          MlflowWarmStartPriors.compute(
              tracking.runs(), settings.warmStart(), metaFeatures, builder.config()));
    }
    return builder;
  }

  /** The listener's runs, for the advisor: trial runs are created on demand. */
  private static TrackingRunIds runIds(MlflowTrackingListener listener) {
    return new TrackingRunIds() {
      @Override
      public Optional<String> studyRun(StudyView study) {
        return Optional.of(listener.parentRunId());
      }

      @Override
      public Optional<String> trialRun(StudyView study, FrozenTrial trial) {
        return Optional.of(listener.runIdFor(trial.number()));
      }
    };
  }

  /**
   * Before the trials run: logs trials the storage already holds but MLflow does not, and, for a
   * study without trials, enqueues the warm-start plan.
   *
   * @return the warm-start plan, when one was made
   */
  public Optional<WarmStartPlan> prepare(Study study) {
    if (listener == null) {
      return Optional.empty();
    }
    listener.bind(study);
    logStudyParams(study);
    listener.catchUp(study);
    if (settings.warmStart().isEmpty() || !settings.warmStart().get().use().enqueues()) {
      return Optional.empty();
    }
    if (!study.trials().isEmpty()) {
      LOG.info("warm start skipped: study '{}' already has trials", study.name());
      return Optional.empty();
    }
    MlflowSettings.WarmStartSpec spec = settings.warmStart().get();
    List<PastStudy> past = MlflowPastStudies.on(tracking.runs()).fetch(spec, study.name());
    WarmStartPlan plan =
        WarmStart.builder()
            .neighbours(spec.neighbours())
            .configurationsPerStudy(spec.perStudy())
            .build()
            .plan(metaFeatures, past, study.declaredSpace());
    plan.log().forEach(line -> LOG.info("warm start: {}", line));
    int enqueued = WarmStart.apply(study, plan);
    LOG.info(
        "warm start: {} configuration{} enqueued from {} past stud{}",
        enqueued,
        enqueued == 1 ? "" : "s",
        past.size(),
        past.size() == 1 ? "y" : "ies");
    if (enqueued > 0) {
      tracking
          .writer()
          .setTag(
              listener.parentRunId(),
              "knobflow.warm_start.sources",
              plan.configurations().stream()
                  .map(PlannedConfiguration::source)
                  .collect(Collectors.joining(",")));
    }
    return Optional.of(plan);
  }

  /**
   * The study run's params: the search space ({@code space.<name>}, one readable line per
   * distribution), the sampler and the scheduler with their settings. MLflow params are write-once,
   * so a continued study logs only what is new.
   */
  private void logStudyParams(Study study) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    study
        .declaredSpace()
        .distributions()
        .forEach((name, d) -> params.put("space." + name, SpaceText.of(d)));
    params.put("sampler", config.sampler().type());
    config.sampler().settings().forEach((k, v) -> params.put("sampler." + k, String.valueOf(v)));
    params.put("scheduler", config.scheduler().type());
    config
        .scheduler()
        .settings()
        .forEach((k, v) -> params.put("scheduler." + k, String.valueOf(v)));
    config.trials().ifPresent(n -> params.put("trials", Integer.toString(n)));
    params.put("parallelism", Integer.toString(config.parallelism()));
    Map<String, String> logged = tracking.runs().getRun(listener.parentRunId()).params();
    params.keySet().removeAll(logged.keySet());
    if (!params.isEmpty()) {
      tracking.writer().logParams(listener.parentRunId(), params);
    }
  }

  /** Logs the study file as the study run's artifact {@code study.yaml}. */
  public void logStudyFile(Path studyFile) {
    if (listener == null) {
      return;
    }
    try {
      tracking
          .artifacts()
          .uploadBytes(listener.parentRunId(), "study.yaml", Files.readAllBytes(studyFile));
    } catch (IOException | RuntimeException e) {
      LOG.warn("MLflow: could not log the study file {}: {}", studyFile, e.getMessage());
    }
  }

  /**
   * Writes the study's report (report.html, the PNGs, summary.md, the trials as CSV and JSON) and
   * logs it under {@code report/} of the study run.
   *
   * @return whether it was logged (false when tracking is off or the upload failed, logged)
   */
  public boolean logReport(Study study) {
    if (listener == null) {
      return false;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("knobflow-report-");
      Reports.write(study, dir);
      TrialTables.write(study, dir);
      ReportUpload.toRun(tracking, listener.parentRunId(), dir);
      LOG.info("MLflow: report logged under report/ of run {}", listener.parentRunId());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("MLflow: could not log the report: {}", e.getMessage());
      return false;
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }

  /** After Ctrl-C: ends the parent run KILLED with the summary so far. */
  public void interrupted(StudyView study) {
    if (listener != null) {
      try {
        listener.finish(study, RunOutcome.KILLED);
      } catch (RuntimeException e) {
        LOG.warn("MLflow: could not end the study run as KILLED: {}", e.getMessage());
      }
    }
  }

  /** Delivers outstanding writes and closes the connection. */
  @Override
  public void close() {
    if (tracking == null) {
      return;
    }
    try {
      listener.close();
    } finally {
      tracking.close();
    }
  }
}
