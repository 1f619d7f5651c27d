package dev.knobflow.plugin.mlflow;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PBT study's trial runs carry each segment's member, generation and lineage as tags, the same as
 * {@code show --format json} prints them, whether the trials live in a journal or in MLflow.
 */
@Tag("mlflow")
class PbtTagsServerTest {

  @TempDir Path dir;

  private final String uri = MlflowTestServer.shared().trackingUri();

  /** The PBT paper's toy problem as a command keeping theta and its step in state.json. */
  private static final String TOY =
      """
      import json, os, sys
      h0, h1 = float(sys.argv[1]), float(sys.argv[2])
      budget = int(float(os.environ["KNOBFLOW_BUDGET"]))
      state = {"theta": [0.9, 0.9], "step": 0}
      restore = os.environ.get("KNOBFLOW_RESTORE_DIR")
      if restore:
          with open(os.path.join(restore, "state.json")) as f:
              state = json.load(f)
      theta = state["theta"]
      while state["step"] < budget:
          theta[0] += 0.01 * (-2 * h0 * theta[0])
          theta[1] += 0.01 * (-2 * h1 * theta[1])
          state["step"] += 1
      with open(os.path.join(os.environ["KNOBFLOW_CHECKPOINT_DIR"], "state.json"), "w") as f:
          json.dump(state, f)
      print(json.dumps({"q": 1.2 - theta[0] ** 2 - theta[1] ** 2}))
      """;

  @ParameterizedTest
  @ValueSource(strings = {"journal", "mlflow"})
  void everyPbtTrialRunIsTaggedWithItsMemberGenerationAndLineage(String storageKind)
      throws Exception {
    String name = "pbt-tags-" + storageKind + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path journal = dir.resolve("journal.jsonl");
    String storage = storageKind.equals("mlflow") ? "mlflow" : "journal:" + journal;
    Files.writeString(dir.resolve("toy.py"), TOY);
    Path file =
        Files.writeString(
            dir.resolve("study.yaml"),
            """
            name: %s
            storage: %s
            tracking: {uri: '%s', experiment: '%s'}
            seed: 4
            objectives: [{name: q, direction: maximize}]
            space:
              h0: {type: float, low: 0, high: 1}
              h1: {type: float, low: 0, high: 1}
            scheduler: {type: pbt, population: 2, interval: 2, quantile: 0.5}
            trials: 6
            objective: {command: [python3, toy.py, "{h0}", "{h1}"], checkpoints: ckpt}
            """
                .formatted(name, storage, uri, name));
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    CliRun show =
        cli(
            "show",
            name,
            "--storage",
            storageKind.equals("mlflow") ? "mlflow:" + uri : "journal:" + journal,
            "--format",
            "json");
    assertEquals(0, show.exit(), show.err());
    JsonNode stored = new ObjectMapper().readTree(show.out()).get("trials");
    assertEquals(6, stored.size(), show.out());

    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String experiment = tracking.runs().findExperimentId(name).orElseThrow();
      Map<String, RunRecord> runs =
          tracking.runs().searchRuns(List.of(experiment), "").stream()
              .filter(r -> KnobflowTags.RUN_TYPE_TRIAL.equals(r.tags().get(KnobflowTags.RUN_TYPE)))
              .collect(Collectors.toMap(RunRecord::runName, Function.identity()));
      assertEquals(6, runs.size(), runs.keySet().toString());
      int exploits = 0;
      for (JsonNode t : stored) {
        int number = t.get("number").asInt();
        RunRecord run = runs.get(KnobflowTags.trialRunName(name, number));
        assertNotNull(run, "trial " + number + " in " + runs.keySet());
        Map<String, String> tags = run.tags();
        JsonNode pbt = t.get("pbt");
        assertEquals(pbt.get("member").asText(), tags.get(KnobflowTags.PBT_MEMBER), t.toString());
        assertEquals(
            pbt.get("generation").asText(), tags.get(KnobflowTags.PBT_GENERATION), t.toString());
        if (t.has("lineage")) {
          exploits++;
          JsonNode lineage = t.get("lineage");
          assertEquals(
              "member "
                  + lineage.get("from_member").asInt()
                  + " (trial "
                  + lineage.get("from_trial").asInt()
                  + ")",
              tags.get(KnobflowTags.PBT_EXPLOIT),
              t.toString());
        } else {
          assertFalse(tags.containsKey(KnobflowTags.PBT_EXPLOIT), tags.toString());
        }
      }
      // Two members, the worse half exploits: every generation after the first copies someone.
      assertTrue(exploits >= 1, "exploits " + exploits + " in " + stored);
      assertEquals(
          "0",
          runs.get(KnobflowTags.trialRunName(name, 0)).tags().get(KnobflowTags.PBT_GENERATION));
    }
  }
}
