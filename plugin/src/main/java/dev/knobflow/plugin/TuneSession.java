package dev.knobflow.plugin;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import dev.knobflow.plugin.mlflow.StudyTracking;
import dev.knobflow.plugin.runtime.StudyRunner;
import dev.knobflow.plugin.warmstart.WarmStartPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run of a study with everything its file asks for, wired in one place for {@code knobflow
 * tune} and {@link Knobflow#tune}: MLflow tracking ({@code tracking:}, or {@code
 * MLFLOW_TRACKING_URI}), dataset meta-features ({@code dataset:}), warm start ({@code
 * warm_start:}), the advisor's reports on the tracked runs, and the {@link StudyRunner} itself.
 * Opening it connects to the tracking server, builds the study, logs trials MLflow lacks and
 * enqueues the warm-start configurations; close it to deliver the last writes and release the
 * storage.
 *
 * <pre>{@code
 * StudyConfig config = Knobflow.load(file);
 * MlflowSettings settings = MlflowSettings.read(file, config.name(), System.getenv());
 * try (TuneSession session = TuneSession.open(config, settings, System.getenv(), b -> {})) {
 *   session.run();
 * }
 * }</pre>
 */
public final class TuneSession implements AutoCloseable {

  private final StudyTracking tracking;
  private final StudyRunner runner;
  private final Optional<WarmStartPlan> warmStart;

  private TuneSession(
      StudyTracking tracking, StudyRunner runner, Optional<WarmStartPlan> warmStart) {
    this.tracking = tracking;
    this.runner = runner;
    this.warmStart = warmStart;
  }

  /**
   * Reads the MLflow sections of {@code studyFile} and opens a session for it.
   *
   * @throws StudyFileException listing every problem of those sections
   */
  public static TuneSession open(
      Path studyFile,
      StudyConfig config,
      Map<String, String> env,
      Consumer<StudyRunner.Builder> customize) {
    return open(config, MlflowSettings.read(studyFile, config.name(), env), env, customize);
  }

  /**
   * Connects tracking (when {@code settings} enable it), builds the runner and prepares the study.
   *
   * @param env environment variables: MLflow credentials and the advisor's LLM key variable
   * @param customize adds to the runner before it is built (progress listeners, report sinks...)
   * @throws StudyFileException when the file's objective, storage or dataset cannot be used
   * @throws dev.knobflow.mlflowrest.MlflowTrackingException naming the URI when the server cannot
   *     be reached
   */
  public static TuneSession open(
      StudyConfig config,
      MlflowSettings settings,
      Map<String, String> env,
      Consumer<StudyRunner.Builder> customize) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(customize, "customize");
    StudyTracking tracking = StudyTracking.open(config, settings, env);
    try {
      StudyRunner.Builder builder = StudyRunner.builder(config).environment(env::get);
      customize.accept(builder);
      StudyRunner runner = tracking.attach(builder).build();
      try {
        return new TuneSession(tracking, runner, tracking.prepare(runner.study()));
      } catch (RuntimeException e) {
        runner.close();
        throw e;
      }
    } catch (RuntimeException e) {
      tracking.close();
      throw e;
    }
  }

  /** The runner: the study, its objective and options, the advisor. */
  public StudyRunner runner() {
    return runner;
  }

  /** The study. */
  public Study study() {
    return runner.study();
  }

  /** The MLflow side (disabled when nothing enables tracking). */
  public StudyTracking tracking() {
    return tracking;
  }

  /** The warm-start plan enqueued when the session opened, if one was made. */
  public Optional<WarmStartPlan> warmStart() {
    return warmStart;
  }

  /** Runs the study's trials. */
  public OptimizeSummary run() {
    return runner.run();
  }

  /**
   * Stops the run from another thread (Ctrl-C): running trials are marked FAIL with {@code reason}
   * and the parent run is ended KILLED.
   *
   * @return the trials marked FAIL
   */
  public List<FrozenTrial> interrupt(String reason) {
    List<FrozenTrial> failed = runner.interrupt(reason);
    tracking.interrupted(runner.study());
    return failed;
  }

  /** Closes the runner (commands, storage), then delivers tracking writes and disconnects. */
  @Override
  public void close() {
    try {
      runner.close();
    } finally {
      tracking.close();
    }
  }
}
