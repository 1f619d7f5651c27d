package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import dev.knobflow.plugin.report.ReportUpload;
import dev.knobflow.plugin.report.Reports;
import dev.knobflow.plugin.report.StudyData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knobflow report NAME}: PNG charts, an HTML report and a Markdown summary. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a study's report: report.html (self-contained), summary.md and the PNG charts"
          + " (Pareto front, history, parallel coordinates, importance, intermediate values,"
          + " energy). With MLFLOW_TRACKING_URI set, also log them under report/ on the study's"
          + " MLflow run."
    })
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The study's name.")
  String name;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      defaultValue = StorageOption.DEFAULT,
      description =
          "journal:<path> (relative to the working directory) or"
              + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; default ${DEFAULT-VALUE}.")
  String storage;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the files; default ./knobflow-report-<study>.")
  Path out;

  @Option(
      names = "--no-mlflow",
      description = "Do not log the report to MLflow even when MLFLOW_TRACKING_URI is set.")
  boolean noMlflow;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    StudyData data = StoredStudy.load(storage, name).data();
    Path dir = out != null ? out : Path.of("knobflow-report-" + StudyNames.fileSafe(name));
    List<Path> files = Reports.write(data, dir);
    stdout.println(
        "Report of study '"
            + name
            + "' ("
            + data.trials().size()
            + " trials) written to "
            + dir.toAbsolutePath());
    files.forEach(f -> stdout.println("  " + f.getFileName()));
    stdout.flush();
    Map<String, String> env = System.getenv();
    String uri = env.get(MlflowConnection.ENV_TRACKING_URI);
    if (noMlflow || uri == null || uri.isBlank()) {
      return 0;
    }
    // `mlflow run` passes the experiment's id; otherwise the study's default experiment name.
    String experimentId = env.get("MLFLOW_EXPERIMENT_ID");
    String experiment =
        experimentId != null && !experimentId.isBlank()
            ? "id " + experimentId
            : env.getOrDefault(MlflowSettings.ENV_EXPERIMENT_NAME, name);
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.fromEnvironment(env))) {
      Optional<String> run =
          experimentId != null && !experimentId.isBlank()
              ? ReportUpload.toStudyRunInExperiment(tracking, experimentId, name, dir)
              : ReportUpload.toStudyRun(tracking, experiment, name, dir);
      stdout.println(
          run.map(id -> "MLflow: logged under " + ReportUpload.ARTIFACT_DIR + "/ of run " + id)
              .orElse(
                  "MLflow: no run of study '"
                      + name
                      + "' in experiment '"
                      + experiment
                      + "'; the report was not logged"));
      stdout.flush();
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine()
          .getErr()
          .println(
              "error: the report was written, but logging it to MLflow at "
                  + uri
                  + " failed: "
                  + e.getMessage());
      return 1;
    }
  }
}
