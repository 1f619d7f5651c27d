package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlflow run . -e tune|worker|report --env-manager local} with the repository's MLproject,
 * against the test server: the run mlflow creates for tune is the study's parent run and each trial
 * a child run with its params, metrics and intermediate values; worker and report end their own
 * runs pointing to it. One study goes through all three entry points (each {@code mlflow run}
 * imports MLflow and starts a JVM: about 10 s of CPU). Runs under failsafe, after {@code package}
 * built {@code plugin/target/knobflow.jar}.
 */
@Tag("mlflow")
class MlprojectIT {

  @TempDir Path dir;

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("MLproject"))) {
      p = p.getParent();
    }
    assumeTrue(p != null, "no MLproject above " + Path.of("").toAbsolutePath());
    return p;
  }

  /** {@code mlflow run . -e ENTRY -P config=FILE} against the test server. */
  private static void mlflowRun(
      Path repo, Path mlflow, Path log, String entry, String experiment, Path config)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                mlflow.toString(),
                "run",
                ".",
                "-e",
                entry,
                "--env-manager",
                "local",
                "--experiment-name",
                experiment,
                "-P",
                "config=" + config)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("MLFLOW_TRACKING_URI", MlflowTestServer.shared().trackingUri());
    pb.environment().remove("MLFLOW_RUN_ID");
    // MLflow's telemetry thread sets and unsets _MLFLOW_TELEMETRY_SESSION_ID in os.environ while
    // the client iterates os.environ for proxies: `mlflow run` then fails at random with
    // "KeyError: '_MLFLOW_TELEMETRY_SESSION_ID'" (seen in a clean-clone CI run). Tests send none.
    pb.environment().put("MLFLOW_DISABLE_TELEMETRY", "true");
    Process p = pb.start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done, "mlflow run -e " + entry + " did not finish:\n" + text);
    assertEquals(0, p.exitValue(), text);
  }

  @Test
  void tuneWorkerAndReportEntryPointsShareOneStudyAndLeaveNoEmptyOrRunningRun() throws Exception {
    Path repo = repoRoot();
    assumeTrue(
        Files.isRegularFile(repo.resolve("plugin/target/knobflow.jar")),
        "plugin/target/knobflow.jar is missing: run ./mvnw verify");
    Path mlflow = repo.resolve("target/mlflow-venv/bin/mlflow");
    assumeTrue(Files.isExecutable(mlflow), "no mlflow at " + mlflow);
    MlflowTestServer server = MlflowTestServer.shared();
    // Intermediate values at steps 0-2 and a second metric, which the trial runs must carry.
    Files.writeString(
        dir.resolve("objective.py"),
        """
        import json, sys
        x, y = float(sys.argv[1]), int(sys.argv[2])
        for step in range(3):
            print(json.dumps({"step": step, "loss": (x - 1) ** 2 + y + 1.0 / (step + 1)}))
        print(json.dumps({"loss": (x - 1) ** 2 + y, "size": y * 2.0}))
        """);
    String study = "mlproject-all-" + UUID.randomUUID().toString().substring(0, 8);
    Path config = dir.resolve("study.yaml");
    // The default storage: the journal next to the study file, where worker and report find it.
    Files.writeString(
        config,
        "name: "
            + study
            + "\nseed: 5\nobjectives: [{name: loss, direction: minimize}]\n"
            + "space:\n  x: {type: float, low: 0, high: 2}\n  y: {type: int, low: 0, high: 3}\n"
            + "trials: 3\n"
            + "objective: {command: [python3, objective.py, \"{x}\", \"{y}\"]}\n");
    String experiment = "mlproject-all-" + UUID.randomUUID().toString().substring(0, 8);
    mlflowRun(repo, mlflow, dir.resolve("tune.log"), "tune", experiment, config);
    mlflowRun(repo, mlflow, dir.resolve("worker.log"), "worker", experiment, config);
    mlflowRun(repo, mlflow, dir.resolve("report.log"), "report", experiment, config);

    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(server.trackingUri()))) {
      String experimentId = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> all = tracking.runs().searchRuns(List.of(experimentId), "");
      List<RunRecord> studies =
          all.stream()
              .filter(r -> KnobflowTags.RUN_TYPE_STUDY.equals(r.tags().get(KnobflowTags.RUN_TYPE)))
              .toList();
      assertEquals(1, studies.size(), all.toString());
      RunRecord studyRun = studies.get(0);
      assertEquals(
          "PROJECT", studyRun.tags().get("mlflow.source.type"), "tune's run is the study run");
      assertEquals(study, studyRun.tags().get(KnobflowTags.STUDY));
      assertEquals("FINISHED", studyRun.status());
      assertEquals(3.0, studyRun.metrics().get("trials_complete"));
      assertTrue(studyRun.metrics().containsKey("best/loss"), studyRun.metrics().toString());
      assertFalse(studyRun.metrics().containsKey("best_loss"), "no duplicate of best/loss");
      assertTrue(
          !studyRun.tags().containsKey(MlflowTags.PARENT_RUN_ID), "the study run is top-level");
      List<RunRecord> children =
          all.stream()
              .filter(r -> studyRun.runId().equals(r.tags().get(MlflowTags.PARENT_RUN_ID)))
              .toList();
      assertEquals(
          Set.of("0", "1", "2"),
          children.stream().map(r -> r.tags().get(KnobflowTags.TRIAL)).collect(Collectors.toSet()),
          "tune's 3 trials are child runs of the run mlflow created");
      for (RunRecord child : children) {
        assertEquals("FINISHED", child.status());
        double x = Double.parseDouble(child.params().get("x"));
        long y = Long.parseLong(child.params().get("y"));
        assertEquals((x - 1) * (x - 1) + y, child.metrics().get("loss"), 1e-9);
        assertEquals(y * 2.0, child.metrics().get("size"), 1e-9);
        assertEquals(
            3,
            tracking.runs().metricHistory(child.runId(), "loss").stream()
                .map(m -> m.step())
                .distinct()
                .count());
      }
      for (RunRecord r : all) {
        assertTrue(!"RUNNING".equals(r.status()), r.runName() + " " + r.status());
        boolean trial = studyRun.runId().equals(r.tags().get(MlflowTags.PARENT_RUN_ID));
        boolean linked = studyRun.runId().equals(r.tags().get(KnobflowTags.STUDY_RUN));
        assertTrue(
            r == studyRun || r.runId().equals(studyRun.runId()) || trial || linked,
            "every run is the study run, a trial of it, or points to it: " + r);
      }
      assertEquals(
          2,
          all.stream()
              .filter(r -> studyRun.runId().equals(r.tags().get(KnobflowTags.STUDY_RUN)))
              .count(),
          "worker and report runs point to the study run");
      List<String> report =
          tracking.artifacts().list(studyRun.runId(), "report").stream()
              .map(dev.knobflow.mlflowrest.ArtifactInfo::path)
              .toList();
      assertTrue(report.contains("report/report.html"), report.toString());
    }
  }
}
