package dev.knobflow.plugin;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The entry point for Java users: tune a study described by a YAML study file, exactly as {@code
 * knobflow tune} does, including MLflow tracking ({@code tracking:} or {@code
 * MLFLOW_TRACKING_URI}), dataset meta-features ({@code dataset:}), warm start ({@code warm_start:})
 * and the advisor's reports on the tracked runs (wired by {@link TuneSession}).
 *
 * <pre>{@code
 * TuneResult result = Knobflow.tune(Path.of("study.yaml"));
 * result.paretoFront().forEach(t -> System.out.println(t.number() + " " + t.values()));
 * }</pre>
 */
public final class Knobflow {

  private Knobflow() {}

  /**
   * Reads and validates a study file, its {@code tracking}, {@code dataset} and {@code warm_start}
   * sections included.
   *
   * @throws StudyFileException listing every problem in the file
   */
  public static StudyConfig load(Path studyFile) {
    StudyConfig config = StudyFileParser.standard().parse(studyFile);
    MlflowSettings.read(studyFile, config.name(), System.getenv());
    return config;
  }

  /**
   * Runs the study a study file describes and returns what happened. Tracks it in MLflow when the
   * file's {@code tracking:} section or {@code MLFLOW_TRACKING_URI} says so.
   *
   * @throws StudyFileException if the file is invalid
   * @throws dev.knobflow.mlflowrest.MlflowTrackingException when the tracking server cannot be
   *     reached
   */
  public static TuneResult tune(Path studyFile) {
    StudyConfig config = load(studyFile);
    Map<String, String> env = System.getenv();
    return tune(config, MlflowSettings.read(studyFile, config.name(), env), env);
  }

  /**
   * Runs a study configuration and returns what happened. Without a study file there are no {@code
   * tracking}/{@code dataset}/{@code warm_start} sections: it is tracked only when {@code
   * MLFLOW_TRACKING_URI} is set.
   */
  public static TuneResult tune(StudyConfig config) {
    Map<String, String> env = System.getenv();
    return tune(
        config,
        MlflowSettings.from(Map.of(), config.baseDirectory(), config.name(), env, config.name()),
        env);
  }

  /**
   * Runs a study configuration with these MLflow settings and environment variables. The first run
   * of a study with {@code trials} stores its trial target ({@link TrialTarget}); later runs on the
   * same storage (other processes, or the same code run again) follow it, so together they stop at
   * it, and a run on a study that already reached it runs nothing ({@code knobflow tune} raises the
   * target instead).
   */
  public static TuneResult tune(
      StudyConfig config, MlflowSettings settings, Map<String, String> env) {
    try (TuneSession session = TuneSession.open(config, settings, env, builder -> {})) {
      // The first run of a study sets its trial target; later runs (other processes, threads or
      // restarts of the same code) share it, so together they stop at it.
      if (config.trials().isPresent()
          && TrialTarget.stored(session.study().storage(), config.name()).isEmpty()) {
        TrialTarget.aimFor(session.study().storage(), config.name(), config.trials().getAsInt());
      }
      OptimizeSummary summary = session.run();
      session.tracking().logReport(session.study());
      return new TuneResult(
          config.name(),
          config.storage().describe(),
          summary,
          session.study().trials(),
          session.study().paretoFront());
    }
  }

  /**
   * What a tune did.
   *
   * @param study the study's name
   * @param storage where its trials are kept, e.g. {@code journal:/path/journal.jsonl}
   * @param summary this run's trials by state, elapsed time and stop reason
   * @param trials every trial of the study, including those of earlier runs
   * @param paretoFront the Pareto-optimal completed trials (the best ones for one objective)
   */
  public record TuneResult(
      String study,
      String storage,
      OptimizeSummary summary,
      List<FrozenTrial> trials,
      List<FrozenTrial> paretoFront) {

    public TuneResult {
      trials = List.copyOf(trials);
      paretoFront = List.copyOf(paretoFront);
    }
  }
}
