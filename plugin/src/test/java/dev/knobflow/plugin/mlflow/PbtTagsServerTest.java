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
import dev.knobflow.plugin.testing.PbtToy;
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

  @ParameterizedTest
  @ValueSource(strings = {"journal", "mlflow"})
  void everyPbtTrialRunIsTaggedWithItsMemberGenerationAndLineage(String storageKind)
      throws Exception {
    String name = "pbt-tags-" + storageKind + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path journal = dir.resolve("journal.jsonl");
    String storage = storageKind.equals("mlflow") ? "mlflow" : "journal:" + journal;
    Path file =
        PbtToy.study(name)
            .storage(storage)
            .tracking(uri)
            .pbt(2, 2)
            .quantile(0.5)
            .trials(6)
            .writeTo(dir);
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
