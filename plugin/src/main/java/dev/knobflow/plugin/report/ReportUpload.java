package dev.knobflow.plugin.report;

import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Logs a written report as artifacts of the study's MLflow parent run. */
public final class ReportUpload {

  /** The artifact directory the report goes under. */
  public static final String ARTIFACT_DIR = "report";

  private ReportUpload() {}

  /**
   * Uploads every file in {@code dir} under {@value #ARTIFACT_DIR}/ of the study run {@code runId}.
   */
  public static void toRun(MlflowTracking tracking, String runId, Path dir) {
    tracking.artifacts().uploadDirectory(runId, dir, ARTIFACT_DIR);
  }

  /**
   * Uploads every file in {@code dir} under {@value #ARTIFACT_DIR}/ of the most recent run tagged
   * {@code knobflow.study=<study>} and {@code knobflow.run_type=study} in {@code experimentName}.
   *
   * @return the run's id, or empty when the experiment or run does not exist
   * @throws IllegalArgumentException if the study name contains a single quote (MLflow's filter
   *     grammar cannot express it)
   */
  public static Optional<String> toStudyRun(
      MlflowTracking tracking, String experimentName, String study, Path dir) {
    Optional<String> experiment = tracking.runs().findExperimentId(experimentName);
    if (experiment.isEmpty()) {
      return Optional.empty();
    }
    return toStudyRunInExperiment(tracking, experiment.get(), study, dir);
  }

  /**
   * As {@link #toStudyRun}, in the experiment with id {@code experimentId} (what {@code mlflow run}
   * passes as {@code MLFLOW_EXPERIMENT_ID}).
   */
  public static Optional<String> toStudyRunInExperiment(
      MlflowTracking tracking, String experimentId, String study, Path dir) {
    if (study.contains("'")) {
      throw new IllegalArgumentException(
          "study name must not contain ' to be found on MLflow: " + study);
    }
    String filter =
        "tags.`"
            + KnobflowTags.STUDY
            + "` = '"
            + study
            + "' AND tags.`"
            + KnobflowTags.RUN_TYPE
            + "` = '"
            + KnobflowTags.RUN_TYPE_STUDY
            + "'";
    Optional<RunRecord> run =
        tracking.runs().searchRuns(List.of(experimentId), filter).stream()
            .max(Comparator.comparingLong(RunRecord::startTime));
    run.ifPresent(r -> tracking.artifacts().uploadDirectory(r.runId(), dir, ARTIFACT_DIR));
    return run.map(RunRecord::runId);
  }
}
