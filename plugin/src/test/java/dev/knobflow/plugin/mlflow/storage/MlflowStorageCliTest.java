package dev.knobflow.plugin.mlflow.storage;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune} with {@code storage: mlflow}, then {@code worker} and {@code resume} join it. */
@Tag("mlflow")
class MlflowStorageCliTest {

  @TempDir Path dir;

  @Test
  void aWorkerJoinsAStudyThatTuneStartedOnTheServer() throws Exception {
    String uri = MlflowTestServer.shared().trackingUri();
    String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(dir.resolve("objective.sh"), "echo \"{\\\"loss\\\": $(($1 * $1))}\"\n");
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        """
        name: %s
        storage: mlflow
        tracking: {uri: '%s'}
        seed: 3
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: int, low: -20, high: 20}
        trials: 3
        objective:
          command: [bash, objective.sh, "{x}"]
        """
            .formatted(name, uri));

    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.out().contains("now has 3 trials"), tune.out());

    String storage = "mlflow:" + uri;
    CliRun worker =
        cli("worker", name, "--storage", storage, "--trials", "2", "--dir", dir.toString());
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    assertTrue(worker.out().contains("now has 5 trials"), worker.out());

    // The last tune aimed for 3 finished trials: nothing remains for resume.
    CliRun resume =
        cli("resume", name, "--storage", storage, "--experiment", name, "--dir", dir.toString());
    assertEquals(0, resume.exit(), resume.out() + resume.err());
    assertTrue(resume.out().contains("nothing to run"), resume.out());

    CliRun show = cli("show", name, "--storage", storage, "--format", "json");
    assertEquals(0, show.exit(), show.out() + show.err());
    JsonNode trials = new ObjectMapper().readTree(show.out()).get("trials");
    assertEquals(5, trials.size(), show.out());
    Set<Integer> numbers = new HashSet<>();
    for (JsonNode t : trials) {
      numbers.add(t.get("number").asInt());
      assertEquals("COMPLETE", t.get("state").asText(), t.toString());
      long x = t.at("/params/x").asLong();
      assertEquals(x * x, t.at("/values/loss").asDouble(), 0.0, t.toString());
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), numbers);
    // Without an experiment in the file, the study goes to the experiment named after it.
    try (MlflowStudyStorage direct =
        MlflowStudyStorage.open(dev.knobflow.mlflowrest.MlflowConnection.of(uri), name)) {
      assertEquals(5, direct.trials(name).size());
    }
  }
}
