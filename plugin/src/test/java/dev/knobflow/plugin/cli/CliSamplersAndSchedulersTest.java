package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study file's sampler and scheduler sections, end to end through the in-process CLI on bash
 * command objectives, checked against what the journal holds afterwards.
 */
class CliSamplersAndSchedulersTest {

  @TempDir Path dir;

  private Path study(String script, String yaml) throws IOException {
    Files.writeString(dir.resolve("objective.sh"), script);
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private List<FrozenTrial> trials(String name) {
    try (JournalStorage journal = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      return journal.trials(name);
    }
  }

  private static int intAttr(FrozenTrial t, String key) {
    return ((Number) t.systemAttrs().get(key)).intValue();
  }

  @Test
  void cmaesFromTheStudyFileSamplesGenerationsAndResumesFromTheJournal() throws Exception {
    String script =
        """
        #!/bin/bash
        awk -v x="$1" -v k="$2" 'BEGIN { printf "{%closs%c: %.8f}\\n", 34, 34, (x - 0.3)^2 + (k - 4)^2 }'
        """;
    String yaml =
        """
        name: cma
        storage: journal:journal.jsonl
        seed: 3
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: float, low: -2, high: 2}
          k: {type: int, low: 0, high: 10}
        sampler: {type: cmaes, population_size: 4}
        trials: 8
        objective: {command: [bash, objective.sh, "{x}", "{k}"]}
        """;
    Path file = study(script, yaml);
    CliRun first = cli("tune", file.toString());
    assertEquals(0, first.exit(), first.out() + first.err());
    CliRun second = cli("tune", file.toString());
    assertEquals(0, second.exit(), second.out() + second.err());
    List<FrozenTrial> trials = trials("cma");
    assertEquals(16, trials.size());
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), t.toString());
      // One worker, population 4: trial n is in generation n / 4, across the two runs.
      assertEquals(t.number() / 4, intAttr(t, CmaEsSampler.GENERATION_ATTR), t.toString());
      assertEquals(0, intAttr(t, CmaEsSampler.RESTART_ATTR));
    }
  }

  @Test
  void cmaesResumedFromTheJournalProposesWhatAnUninterruptedRunProposes() throws Exception {
    String script =
        """
        #!/bin/bash
        awk -v x="$1" -v y="$2" -v k="$3" \\
          'BEGIN { printf "{%closs%c: %.8f}\\n", 34, 34, (x - 0.3)^2 + 10 * (y + x)^2 + (k - 4)^2 }'
        """;
    String common =
        """
        storage: journal:journal.jsonl
        seed: 11
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: float, low: -2, high: 2}
          y: {type: float, low: -2, high: 2}
          k: {type: int, low: 0, high: 10}
        sampler: {type: cmaes}
        objective: {command: [bash, objective.sh, "{x}", "{y}", "{k}"]}
        """;
    Path resumed = study(script, "name: resumed\ntrials: 9\n" + common);
    // Two processes' worth of tune on one journal (9 trials stop mid-generation: population 7).
    for (int run = 0; run < 2; run++) {
      CliRun tune = cli("tune", resumed.toString());
      assertEquals(0, tune.exit(), tune.out() + tune.err());
    }
    Path straight = dir.resolve("straight.yaml");
    Files.writeString(straight, "name: straight\ntrials: 18\n" + common);
    CliRun tune = cli("tune", straight.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    List<FrozenTrial> a = trials("resumed");
    List<FrozenTrial> b = trials("straight");
    assertEquals(18, a.size());
    assertEquals(18, b.size());
    for (int i = 0; i < 18; i++) {
      assertEquals(b.get(i).params(), a.get(i).params(), "trial " + i);
      assertEquals(
          b.get(i).systemAttrs().get(CmaEsSampler.X_ATTR),
          a.get(i).systemAttrs().get(CmaEsSampler.X_ATTR),
          "trial " + i);
    }
    // The resumed run continued the distribution: its later trials belong to generations 1 and 2.
    assertEquals(2, intAttr(a.get(17), CmaEsSampler.GENERATION_ATTR));
  }

  @Test
  void aMedianPrunedCommandIsStoppedWithSigtermAndEndsPrunedWithItsLastValues() throws Exception {
    // Ten steps of a constant loss, 0.1 s apart; TERM writes a marker and exits.
    String script =
        """
        #!/bin/bash
        x=$1
        trap 'echo term > term-$KNOBFLOW_TRIAL_NUMBER; exit 143' TERM
        for s in 0 1 2 3 4 5 6 7 8 9; do
          echo "{\\"step\\": $s, \\"loss\\": $x}"
          sleep 0.1 & wait $!
        done
        echo "{\\"loss\\": $x}"
        """;
    Path file =
        study(
            script,
            """
            name: pruning
            storage: journal:journal.jsonl
            objectives: [{name: loss, direction: minimize}]
            space: {x: {type: int, low: 1, high: 9}}
            sampler: {type: grid, values: {x: [1, 2, 5, 9]}}
            scheduler: {type: median, startup_trials: 2}
            trials: 4
            objective: {command: [bash, objective.sh, "{x}"]}
            """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    Map<Object, FrozenTrial> byX =
        trials("pruning").stream().collect(Collectors.toMap(t -> t.params().get("x"), t -> t));
    assertEquals(TrialState.COMPLETE, byX.get(1L).state());
    assertEquals(TrialState.COMPLETE, byX.get(2L).state());
    for (long x : new long[] {5, 9}) {
      FrozenTrial t = byX.get(x);
      assertEquals(TrialState.PRUNED, t.state(), t.toString());
      assertEquals(List.of((double) x), t.values(), "the last reported values are kept");
      assertTrue(t.intermediateValues().lastKey() < 9, "stopped early: " + t.intermediateValues());
      assertTrue(
          Files.exists(dir.resolve("term-" + t.number())),
          "the pruned command got SIGTERM (trial " + t.number() + ")");
    }
  }

  @Test
  void hyperbandThroughTheCliGrantsBracketBudgetsAndPromotesChildren() throws Exception {
    // loss = x + 1 / budget; the budget comes as {budget} and as KNOBFLOW_BUDGET.
    String script =
        """
        #!/bin/bash
        [ "$2" = "$KNOBFLOW_BUDGET" ] || { echo "budget mismatch: $2 vs $KNOBFLOW_BUDGET" >&2; exit 4; }
        awk -v x="$1" -v b="$2" 'BEGIN { printf "{\\"loss\\": %.10f}\\n", x + 1 / b }'
        """;
    Path file =
        study(
            script,
            """
            name: hb
            storage: journal:journal.jsonl
            seed: 3
            objectives: [{name: loss, direction: minimize}]
            space: {x: {type: float, low: 0, high: 1}}
            sampler: random
            scheduler: {type: hyperband, min_budget: 1, max_budget: 9}
            trials: 13
            objective: {command: [bash, objective.sh, "{x}", "{budget}"]}
            """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    // 1..9 with eta 3: the first bracket starts 9 at budget 1, keeps 3 at 3 and 1 at 9.
    List<FrozenTrial> all = trials("hb");
    assertEquals(13, all.size());
    all.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));
    for (int i = 0; i < 9; i++) {
      assertEquals(1.0, all.get(i).budget(), 0.0, "trial " + i);
    }
    List<FrozenTrial> rung0 = all.subList(0, 9);
    List<FrozenTrial> rung1 = all.subList(9, 12);
    for (FrozenTrial child : rung1) {
      assertEquals(3.0, child.budget(), 0.0);
      int parent = intAttr(child, Checkpoint.PARENT_ATTR);
      assertTrue(parent < 9, "promoted from rung 0: " + parent);
      assertEquals(all.get(parent).params(), child.params(), "a child continues its parent");
    }
    // The promoted three are rung 0's best three.
    List<Integer> best3 =
        rung0.stream()
            .sorted((a, b) -> Double.compare(a.values().get(0), b.values().get(0)))
            .limit(3)
            .map(FrozenTrial::number)
            .sorted()
            .toList();
    List<Integer> parents =
        rung1.stream().map(t -> intAttr(t, Checkpoint.PARENT_ATTR)).sorted().toList();
    assertEquals(best3, parents);
    FrozenTrial top = all.get(12);
    assertEquals(9.0, top.budget(), 0.0);
    assertTrue(rung1.stream().anyMatch(t -> t.number() == intAttr(top, Checkpoint.PARENT_ATTR)));

    CliRun show = cli("show", "hb", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertEquals(0, show.exit(), show.err());
    // The result is compared at the highest budget reached only: trial 12, not a budget-1 trial
    // whose loss at a smaller budget is not comparable (and would repeat a configuration).
    assertTrue(
        show.out()
            .contains(
                "Pareto front (* above): 1 trial, sorted by loss, best first;"
                    + " at the highest budget reached (9)"),
        show.out());
    List<String> lines = show.out().lines().toList();
    String frontHeader = lines.get(lines.size() - 2);
    assertTrue(frontHeader.matches("\\s*#\\s+budget\\s+loss\\s+x"), frontHeader);
    assertTrue(lines.get(lines.size() - 1).matches("\\s*12\\s+9\\s+.*"), show.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("\\s+#\\s+state\\s+budget\\s+loss.*")),
        "the trials table has a budget column: " + show.out());

    CliRun perBudget =
        cli("show", "hb", "--storage", "journal:" + dir.resolve("journal.jsonl"), "--per-budget");
    assertEquals(0, perBudget.exit(), perBudget.err());
    for (String budget : List.of("Budget 1: 1 trial", "Budget 3: 1 trial", "Budget 9: 1 trial")) {
      assertTrue(perBudget.out().contains(budget), perBudget.out());
    }
  }

  @Test
  void nsga2ThroughTheCliStoresGenerationsAndParents() throws Exception {
    String script =
        """
        #!/bin/bash
        awk -v x="$1" -v y="$2" 'BEGIN { printf "{\\"f1\\": %.10f, \\"f2\\": %.10f}\\n", x, (1 - x) + y }'
        """;
    Path file =
        study(
            script,
            """
            name: moo
            storage: journal:journal.jsonl
            seed: 11
            objectives: [{name: f1, direction: minimize}, {name: f2, direction: minimize}]
            space:
              x: {type: float, low: 0, high: 1}
              y: {type: float, low: 0, high: 1}
            sampler: {type: nsga2, population_size: 4}
            trials: 12
            objective: {command: [bash, objective.sh, "{x}", "{y}"]}
            """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    List<FrozenTrial> all = trials("moo");
    assertEquals(12, all.size());
    for (FrozenTrial t : all) {
      assertEquals(t.number() / 4, intAttr(t, NsgaIISampler.GENERATION_ATTR), t.toString());
      Object parents = t.systemAttrs().get(NsgaIISampler.PARENTS_ATTR);
      if (t.number() >= 4) {
        assertEquals(2, ((List<?>) parents).size(), "bred from two parents: " + t);
      }
    }
    CliRun show = cli("show", "moo", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains("sorted by f1, best first"), show.out());
  }

  @Test
  void withoutASamplerTheAutoSamplerRunsAndLogsItsPick() throws Exception {
    String script =
        """
        #!/bin/bash
        awk -v x="$1" 'BEGIN { printf "{\\"loss\\": %.10f}\\n", (x - 0.3) ^ 2 }'
        """;
    Path file =
        study(
            script,
            """
            name: auto
            storage: journal:journal.jsonl
            seed: 5
            objectives: [{name: loss, direction: minimize}]
            space: {x: {type: float, low: 0, high: 1}}
            trials: 3
            objective: {command: [bash, objective.sh, "{x}"]}
            """);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CliRun tune;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      tune = cli("tune", file.toString());
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, tune.exit(), tune.out() + tune.err() + logs);
    assertTrue(logs.contains("study 'auto': trial 0 uses gp because"), logs);
    List<FrozenTrial> all = trials("auto");
    assertEquals(3, all.size());
    all.forEach(t -> assertEquals("gp", t.systemAttrs().get("auto_sampler"), t.toString()));
    assertFalse(all.stream().anyMatch(t -> t.state() != TrialState.COMPLETE));
  }
}
