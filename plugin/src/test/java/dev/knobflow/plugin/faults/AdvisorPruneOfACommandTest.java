package dev.knobflow.plugin.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knobflow tune} with the advisor in apply mode on a command that prints all 30 of its steps
 * at once (the pipe holds many lines by the time the advisor decides): the prune is recorded at the
 * step the advisor decided it, no later value is kept, and it is logged once.
 */
class AdvisorPruneOfACommandTest {

  @TempDir Path dir;

  // Learns for three steps, then the loss doubles every step: diverging well before step 29.
  private static final String OBJECTIVE =
      """
      #!/bin/bash
      loss=1000
      for s in $(seq 0 29); do
        if [ $s -lt 3 ]; then loss=$((loss / 2)); else loss=$((loss * 2)); fi
        echo "{\\"step\\": $s, \\"loss\\": $loss}"
      done
      echo "{\\"loss\\": $loss}"
      """;

  @Test
  void aPruneIsStoredAtTheDecidedStepWithNoLaterValueAndLoggedOnce() throws Exception {
    Files.writeString(dir.resolve("objective.sh"), OBJECTIVE);
    Path journal = dir.resolve("journal.jsonl");
    Files.writeString(
        dir.resolve("study.yaml"),
        """
        name: prune-once
        storage: journal:%s
        objectives: [{name: loss, direction: minimize}]
        space: {lr: {type: float, low: 0.001, high: 10, log: true}}
        trials: 1
        objective: {command: [bash, objective.sh]}
        advisor: {mode: apply}
        """
            .formatted(journal));
    Path log = dir.resolve("stderr.log");
    try (ChildJvm jvm =
        ChildJvm.start(
            List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
            Main.class,
            log,
            "tune",
            dir.resolve("study.yaml").toString())) {
      assertEquals(0, jvm.await(Duration.ofMinutes(3)), String.join("\n", jvm.lines()));
    }
    String stderr = Files.readString(log);
    List<String> pruneLines = stderr.lines().filter(l -> l.contains("pruned")).toList();
    assertEquals(1, pruneLines.size(), "one log line per prune:\n" + stderr);
    Matcher m =
        Pattern.compile("advisor, trial 0 step (\\d+): DIVERGING").matcher(pruneLines.get(0));
    assertTrue(m.find(), pruneLines.get(0));
    long decided = Long.parseLong(m.group(1));
    assertTrue(decided < 29, "decided before the last step: " + decided);

    try (JournalStorage storage = JournalStorage.open(journal)) {
      FrozenTrial t = storage.trials("prune-once").get(0);
      assertEquals(TrialState.PRUNED, t.state());
      long lastKept = t.intermediateValues().keySet().stream().mapToLong(s -> s).max().orElse(-1);
      assertEquals(decided, lastKept, "no value after the decided step");
      assertEquals(decided + 1, t.intermediateValues().size());
      assertEquals(t.intermediateValues().get(decided), t.values());
      assertTrue(
          t.failReason().startsWith("pruned at step " + decided + ": advisor: DIVERGING"),
          t.failReason());
    }
  }
}
