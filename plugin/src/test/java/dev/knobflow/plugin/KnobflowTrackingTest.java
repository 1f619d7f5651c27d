package dev.knobflow.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java facade honours the study file's MLflow sections like {@code knobflow tune}. */
class KnobflowTrackingTest {

  @TempDir Path dir;

  private Path study(String name, String tracking) throws Exception {
    // A loss that grows every step: the advisor is consulted on every trial.
    Files.writeString(
        dir.resolve("grow.py"),
        """
        import json
        for step in range(16):
            print(json.dumps({"step": step, "loss": 1.5 ** step}), flush=True)
        print(json.dumps({"loss": 1.5 ** 15}), flush=True)
        """);
    return Files.writeString(
        dir.resolve("study.yaml"),
        """
        name: %s
        storage: memory
        seed: 1
        objectives: [{name: loss, direction: minimize}]
        trials: 2
        space:
          lr: {type: float, low: 2.0, high: 10.0, log: true}
        objective:
          command: [python3, grow.py]
        advisor: {mode: report}
        %s
        """
            .formatted(name, tracking));
  }

  @Test
  void loadReportsABadTrackingSectionWithItsPath() throws Exception {
    Path file = study("bad-tracking", "tracking: {url: \"http://127.0.0.1:1\"}");
    StudyFileException e = assertThrows(StudyFileException.class, () -> Knobflow.load(file));
    assertTrue(e.getMessage().contains("tracking.url"), e.getMessage());
  }

  @Test
  @Tag("mlflow")
  void tuneFromAFileTracksTheStudyAndItsAdviceOnTheServer() throws Exception {
    String uri = MlflowTestServer.shared().trackingUri();
    String name = "facade-" + UUID.randomUUID().toString().substring(0, 8);
    Path file = study(name, "tracking: {uri: \"" + uri + "\", experiment: " + name + "}");

    Knobflow.TuneResult result = Knobflow.tune(file);

    assertEquals(2, result.trials().size());
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String experiment = tracking.runs().findExperimentId(name).orElseThrow();
      List<RunRecord> studies =
          tracking.runs().searchRunsByTag(List.of(experiment), KnobflowTags.RUN_TYPE, "study");
      assertEquals(1, studies.size());
      assertEquals("FINISHED", studies.get(0).status());
      List<String> files =
          tracking.artifacts().list(studies.get(0).runId(), "advisor").stream()
              .map(ArtifactInfo::path)
              .toList();
      assertTrue(files.contains("advisor/summary.md"), files.toString());
      assertEquals(
          2,
          tracking
              .runs()
              .searchRunsByTag(List.of(experiment), KnobflowTags.RUN_TYPE, "trial")
              .size());
    }
  }
}
