package dev.knobflow.plugin.cli;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunDescriptions;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import dev.knobflow.plugin.mlflow.MlflowTrackingListener;
import dev.knobflow.plugin.report.ReportUpload;
import dev.knobflow.plugin.report.Reports;
import dev.knobflow.plugin.report.StudyData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME|STUDY.yaml",
      description =
          "The study's name, or its study file: then its name, storage (a relative journal path"
              + " against the file's directory) and tracking come from the file, as tune used"
              + " them.")
  String name;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The study file, as in NAME's place (the MLproject's report entry point).")
  Path config;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      defaultValue = StorageOption.DEFAULT,
      description =
          "journal:<path> (relative to the working directory; wins over a study file's storage) or"
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

  @Mixin TrackingOptions tracking;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    StudyArgument target = StudyArgument.resolve(spec, name, config, storage, false);
    name = target.name();
    StorageSpec storageSpec = target.storage();
    StoredStudy study = StoredStudy.load(storageSpec, tracking, name);
    StudyData data = study.data();
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
    // The study's own tracking settings (its stored file, its storage) and its own run.
    MlflowSettings settings =
        study.study().attrs().get(StudyDefinitions.STUDY_FILE) instanceof String yaml
            ? MlflowSettings.forWorker(
                yaml,
                target.directory(Path.of("").toAbsolutePath()),
                name,
                env,
                "the study file of '" + name + "'")
            : MlflowSettings.from(Map.of(), Path.of(""), name, env, name);
    settings =
        tracking
            .apply(settings, name, env)
            .withStorageTracking(tracking.apply(storageSpec), name, env);
    if (noMlflow || settings.tracking().isEmpty()) {
      return 0;
    }
    String uri = settings.tracking().get().uri();
    Object runId = study.study().attrs().get(KnobflowTags.STUDY_RUN_ATTR);
    if (!(runId instanceof String run) || run.isBlank()) {
      spec.commandLine()
          .getErr()
          .println(
              "error: the report was written, but study '"
                  + name
                  + "' has no MLflow run to log it to (it was never tracked at "
                  + uri
                  + "); pass --no-mlflow to write it locally only");
      return 1;
    }
    try (MlflowTracking mlflow = MlflowTracking.open(MlflowConnection.of(uri, env))) {
      ReportUpload.toRun(mlflow, run, dir);
      stdout.println("MLflow: logged under " + ReportUpload.ARTIFACT_DIR + "/ of run " + run);
      // Under `mlflow run` the entry point's own run points to the study run instead of staying
      // empty.
      String entryRun = env.get(MlflowSettings.ENV_RUN_ID);
      if (entryRun != null && !entryRun.isBlank() && !entryRun.equals(run)) {
        MlflowTrackingListener.linkToStudyRun(
            mlflow.writer(), RunDescriptions.over(mlflow.writer()), name, entryRun, run);
        mlflow.writer().flush(java.time.Duration.ofSeconds(60));
      }
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
