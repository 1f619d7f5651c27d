package dev.knobflow.plugin.mlflow;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.PbtToy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code objective.checkpoints: mlflow}: PBT checkpoints go through the artifacts of the study's
 * MLflow run (the real server's proxied artifacts), so two workers in directories of their own,
 * sharing only the MLflow server, hand checkpoints to each other, and only the checkpoints a
 * segment can still start from stay in the run.
 */
@Tag("mlflow")
class PbtMlflowCheckpointsServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final String uri = MlflowTestServer.shared().trackingUri();

  private Path worker(String label, String name, int trials) throws Exception {
    Path home = Files.createDirectories(dir.resolve(label));
    Files.writeString(home.resolve("worker.id"), label.equals("a") ? "1" : "2");
    return PbtToy.study(name)
        .storage("mlflow")
        .tracking(uri)
        .pbt(2, 2)
        .quantile(0.5)
        .trials(trials)
        .checkpoints("mlflow")
        .writeTo(home);
  }

  @Test
  void twoWorkersSharingNoDirectoryHandCheckpointsOverThroughTheStudyRunAndOldOnesArePruned()
      throws Exception {
    String name = "pbt-ckpt-" + UUID.randomUUID().toString().substring(0, 8);
    // Worker a runs generations 0 and 1; worker b, in a directory of its own, continues them.
    CliRun a = cli("tune", worker("a", name, 4).toString());
    assertEquals(0, a.exit(), a.out() + a.err());
    assertEquals(
        List.of(),
        PbtToy.filesUnder(dir.resolve("a/.knobflow/checkpoints")),
        "worker a keeps no checkpoint locally: they are in the study run");
    CliRun b = cli("tune", worker("b", name, 8).toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertEquals(List.of(), PbtToy.filesUnder(dir.resolve("b/.knobflow/checkpoints")));

    List<FrozenTrial> trials;
    String runId;
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      trials = storage.trials(name);
      runId = storage.studyRunId(name).orElseThrow();
    }
    // tune runs `trials` more, or up to `trials` in all once the target is study-wide: b ran 4+.
    assertTrue(trials.size() >= 8, "trials " + trials.size());
    // The state every segment started from is the one its parent (the donor, on an exploit) saved.
    PbtToy.Segments segments = PbtToy.assertSegmentsContinueTheirParents(trials, 2);
    for (FrozenTrial t : trials) {
      assertEquals(
          "runs:/" + runId + "/checkpoints/trial-" + t.number(),
          t.systemAttrs().get(Checkpoint.LOCATION_ATTR),
          t.systemAttrs().toString());
    }
    assertTrue(segments.exploits() >= 1, "exploits " + segments.exploits());
    // Run by worker b from a checkpoint worker a uploaded.
    assertTrue(segments.handedOver() >= 1, "handed over " + segments.handedOver());

    // Pruned: only each member's latest segment's checkpoint is left in the study run.
    List<FrozenTrial> latest = PbtToy.latestPerMember(trials);
    assertEquals(2, latest.size());
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      Set<String> left =
          tracking.artifacts().list(runId, "checkpoints").stream()
              .map(ArtifactInfo::path)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(
          PbtToy.latestCheckpointNames(trials).stream()
              .map(n -> "checkpoints/" + n)
              .collect(Collectors.toCollection(TreeSet::new)),
          left);
      for (FrozenTrial t : latest) {
        Path into = Files.createDirectories(dir.resolve("check-" + t.number()));
        tracking.artifacts().download(runId, "checkpoints/trial-" + t.number(), into);
        // Only what the command wrote is uploaded: no environment, nothing else.
        assertEquals(List.of(into.resolve("state.json")), PbtToy.filesUnder(into));
        JsonNode state = JSON.readTree(into.resolve("state.json").toFile());
        assertEquals(t.metrics().get("reached"), state.get("step").asDouble());
        assertEquals(t.number(), state.get("trials").get(state.get("trials").size() - 1).asInt());
      }
    }
  }

  @Test
  void mlflowCheckpointsWithoutTrackingNameTheFieldAndWhatItNeeds() throws Exception {
    Path home = Files.createDirectories(dir.resolve("plain"));
    Path file =
        Files.writeString(
            home.resolve("study.yaml"),
            """
            name: no-tracking
            storage: journal:journal.jsonl
            objectives: [{name: q, direction: maximize}]
            space: {h0: {type: float, low: 0, high: 1}}
            scheduler: {type: pbt, population: 2, interval: 2}
            trials: 2
            objective: {command: [python3, toy.py, "{h0}"], checkpoints: mlflow}
            """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(2, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.err().contains("objective.checkpoints"), tune.err());
    assertTrue(tune.err().contains("tracking"), tune.err());
  }
}
