package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's "no wasted trials" through the CLI: {@code objective.noisy} in the study file, a
 * finite space that runs out, and the bound warning in {@code tune}'s summary and the report.
 */
class CliRepeatsAndBoundsTest {

  @TempDir Path dir;

  private static final String SCRIPT =
      """
      #!/bin/bash
      awk -v k="$1" -v x="$2" 'BEGIN { printf "{%closs%c: %.8f}\\n", 34, 34, (20 - k)^2 + x }'
      """;

  private Path study(String name, String extra, String space, int trials) throws IOException {
    Files.writeString(dir.resolve("objective.sh"), SCRIPT);
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(
        f,
        """
        name: %s
        storage: journal:journal.jsonl
        seed: 5
        objectives: [{name: loss, direction: minimize}]
        space:
        %s
        sampler: {type: tpe}
        trials: %d
        objective: {command: [bash, objective.sh, "{k}", "{x}"]%s}
        """
            .formatted(name, space, trials, extra));
    return f;
  }

  private List<FrozenTrial> trials(String name) {
    try (JournalStorage journal = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      return journal.trials(name);
    }
  }

  private static final String TINY =
      """
        k: {type: int, low: 18, high: 20}
        x: {type: categorical, choices: [0]}
      """;

  @Test
  void aFiniteSpaceRunsOutInsteadOfRepeating() throws Exception {
    CliRun run = cli("tune", study("tiny", "", TINY, 8).toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("Done: 3 trials"), run.out());
    assertTrue(run.out().contains("(stopped: sampler exhausted)"), run.out());
    Set<Object> ks = new HashSet<>();
    trials("tiny").forEach(t -> ks.add(t.params().get("k")));
    assertEquals(3, ks.size());
  }

  @Test
  void aNoisyObjectiveMayRepeatAConfiguration() throws Exception {
    CliRun run = cli("tune", study("noisy", ", noisy: true", TINY, 8).toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals(8, trials("noisy").size());
  }

  @Test
  void noisyMustBeTrueOrFalse() throws Exception {
    CliRun run = cli("tune", study("bad", ", noisy: sometimes", TINY, 8).toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("objective.noisy: must be true or false"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void tuneSaysWhenTheBestTrialsSitAtABoundAndTheReportToo() throws Exception {
    // The loss falls with k up to 20, but k stops at 10: the best trials pile up at k = 10.
    String space =
        """
          k: {type: int, low: 0, high: 10}
          x: {type: float, low: 0, high: 1}
        """;
    Path file = study("edge", "", space, 30);
    CliRun run = cli("tune", file.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(
        run.out()
            .contains(
                "best trials have k at its upper bound 10: consider widening the range"
                    + " to [0, 15]"),
        run.out());
    assertTrue(run.out().contains("Warning: "), run.out());
    Path out = dir.resolve("report");
    CliRun report =
        cli(
            "report",
            "edge",
            "--storage",
            "journal:" + dir.resolve("journal.jsonl"),
            "--out",
            out.toString(),
            "--no-mlflow");
    assertEquals(0, report.exit(), report.out() + report.err());
    String md = Files.readString(out.resolve("summary.md"));
    assertTrue(md.contains("## Ranges to check"), md);
    assertTrue(md.contains("k at its upper bound 10"), md);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("id=\"bound-warnings\""), "report.html lists the warning");
  }
}
