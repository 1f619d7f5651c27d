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
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

  /**
   * The PBT paper's toy problem; state.json carries theta, the step, and which trials wrote the
   * state it continues ("trials"), so a segment reports which checkpoint it restored ("restored").
   */
  private static final String TOY =
      """
      import json, os, sys
      h0, h1 = float(sys.argv[1]), float(sys.argv[2])
      budget = int(float(os.environ["KNOBFLOW_BUDGET"]))
      state = {"theta": [0.9, 0.9], "step": 0, "trials": []}
      restore = os.environ.get("KNOBFLOW_RESTORE_DIR")
      if restore:
          with open(os.path.join(restore, "state.json")) as f:
              state = json.load(f)
      restored = state["trials"][-1] if state["trials"] else -1
      theta = state["theta"]
      while state["step"] < budget:
          theta[0] += 0.01 * (-2 * h0 * theta[0])
          theta[1] += 0.01 * (-2 * h1 * theta[1])
          state["step"] += 1
      state["trials"].append(int(os.environ["KNOBFLOW_TRIAL_NUMBER"]))
      with open(os.path.join(os.environ["KNOBFLOW_CHECKPOINT_DIR"], "state.json"), "w") as f:
          json.dump(state, f)
      q = 1.2 - theta[0] ** 2 - theta[1] ** 2
      print(json.dumps({"q": q, "reached": state["step"], "restored": restored}))
      """;

  private Path worker(String label, String name, int trials) throws Exception {
    Path home = Files.createDirectories(dir.resolve(label));
    Files.writeString(home.resolve("toy.py"), TOY);
    return Files.writeString(
        home.resolve("study.yaml"),
        """
        name: %s
        storage: mlflow
        tracking: {uri: '%s', experiment: '%s'}
        seed: 4
        objectives: [{name: q, direction: maximize}]
        space:
          h0: {type: float, low: 0, high: 1}
          h1: {type: float, low: 0, high: 1}
        scheduler: {type: pbt, population: 2, interval: 2, quantile: 0.5}
        trials: %d
        objective: {command: [python3, toy.py, "{h0}", "{h1}"], checkpoints: mlflow}
        """
            .formatted(name, uri, name, trials));
  }

  private static List<Path> filesUnder(Path root) throws Exception {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
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
        filesUnder(dir.resolve("a/.knobflow/checkpoints")),
        "worker a keeps no checkpoint locally: they are in the study run");
    CliRun b = cli("tune", worker("b", name, 8).toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertEquals(List.of(), filesUnder(dir.resolve("b/.knobflow/checkpoints")));

    List<FrozenTrial> trials;
    String runId;
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      trials = storage.trials(name);
      runId = storage.studyRunId(name).orElseThrow();
    }
    // tune runs `trials` more, or up to `trials` in all once the target is study-wide: b ran 4+.
    assertTrue(trials.size() >= 8, "trials " + trials.size());
    Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    trials.forEach(t -> byNumber.put(t.number(), t));
    int exploits = 0;
    int handedOver = 0;
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.number() + ": " + t.failReason());
      assertTrue(
          t.systemAttrs().get(Checkpoint.LOCATION_ATTR) instanceof String l
              && l.equals("runs:/" + runId + "/checkpoints/trial-" + t.number()),
          t.systemAttrs().toString());
      Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
      if (parent == null) {
        assertEquals(-1.0, t.metrics().get("restored"), "a first segment starts from scratch");
        assertEquals(2.0, t.metrics().get("reached"));
        continue;
      }
      int from = ((Number) parent).intValue();
      // The state the segment started from is the one its parent (the donor, on an exploit) saved.
      assertEquals(from, t.metrics().get("restored").intValue(), "trial " + t.number());
      assertEquals(byNumber.get(from).metrics().get("reached") + 2, t.metrics().get("reached"));
      if (t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR)) {
        exploits++;
      }
      if (t.number() >= 4 && from < 4) {
        handedOver++; // run by worker b from a checkpoint worker a uploaded
      }
    }
    assertTrue(exploits >= 1, "exploits " + exploits);
    assertTrue(handedOver >= 1, "handed over " + handedOver);

    // Pruned: only each member's latest segment's checkpoint is left in the study run.
    Map<Object, FrozenTrial> latest = new HashMap<>();
    for (FrozenTrial t : trials) {
      latest.merge(
          t.systemAttrs().get(PbtScheduler.MEMBER_ATTR),
          t,
          (x, y) ->
              ((Number) x.systemAttrs().get(PbtScheduler.GENERATION_ATTR)).intValue()
                      >= ((Number) y.systemAttrs().get(PbtScheduler.GENERATION_ATTR)).intValue()
                  ? x
                  : y);
    }
    Set<String> expected =
        latest.values().stream()
            .map(t -> "checkpoints/trial-" + t.number())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(2, expected.size());
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      Set<String> left =
          tracking.artifacts().list(runId, "checkpoints").stream()
              .map(ArtifactInfo::path)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, left);
      for (FrozenTrial t : latest.values()) {
        Path into = Files.createDirectories(dir.resolve("check-" + t.number()));
        tracking.artifacts().download(runId, "checkpoints/trial-" + t.number(), into);
        // Only what the command wrote is uploaded: no environment, nothing else.
        assertEquals(List.of(into.resolve("state.json")), filesUnder(into));
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
