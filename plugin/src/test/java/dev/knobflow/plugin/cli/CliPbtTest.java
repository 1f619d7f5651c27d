package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.testing.PbtToy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Population-based training from a study file, end to end through the in-process CLI, on a Python
 * command objective that keeps its state in the checkpoint directories Knobflow hands it.
 */
class CliPbtTest {

  @TempDir Path dir;

  private List<FrozenTrial> trials(String name) {
    try (JournalStorage journal = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      return journal.trials(name);
    }
  }

  @Test
  void aPbtStudyExploitsThroughCheckpointDirectoriesAndKeepsOneCheckpointPerMember()
      throws Exception {
    Path file = PbtToy.study("toy").writeTo(dir);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    List<FrozenTrial> trials = trials("toy");
    assertEquals(24, trials.size());
    PbtToy.Segments segments = PbtToy.assertSegmentsContinueTheirParents(trials, 5);
    assertTrue(segments.exploits() >= 2, "exploits " + segments.exploits());

    // Only the checkpoints a segment could still start from are left: one per member.
    try (Stream<Path> left = Files.list(dir.resolve("ckpt").resolve("toy"))) {
      assertEquals(
          PbtToy.latestCheckpointNames(trials),
          left.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
    }

    CliRun show =
        cli(
            "show",
            "toy",
            "--storage",
            "journal:" + dir.resolve("journal.jsonl"),
            "--format",
            "json");
    assertEquals(0, show.exit(), show.err());
    assertEquals(segments.exploits(), PbtToy.assertShowLineage(show.out(), segments.byNumber()));
  }

  @Test
  void maxBudgetStopsEveryMemberThereAndEndsTheStudyBeforeItsTrialTarget() throws Exception {
    Path file = PbtToy.study("capped").pbt(2, 5).maxBudget(12).trials(50).writeTo(dir);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    // Two members, segments to 5, 10 and 12 steps each (fewer when a member copies a checkpoint
    // ahead of its own): at most six segments, far below the trial target, none beyond 12.
    List<FrozenTrial> trials = trials("capped");
    assertTrue(trials.size() >= 4 && trials.size() <= 6, trials.size() + " segments");
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.number() + ": " + t.failReason());
      assertTrue(t.metrics().get("reached") <= 12, "trial " + t.number());
    }
    assertEquals(
        List.of(12.0, 12.0),
        PbtToy.latestPerMember(trials).stream().map(t -> t.metrics().get("reached")).toList());
  }

  @Test
  void aTrainedBudgetEndsTheStudyAtExactlyTheUnitsTrainedAndShowReportsThem() throws Exception {
    // Three members, 4 steps a segment, 20 steps in all: five segments (a generation and a
    // part), far below the trial target; each pays the steps it trains beyond its checkpoint.
    Path file = PbtToy.study("spent").pbt(3, 4).trainedBudget(20).trials(50).writeTo(dir);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.out().contains("(stopped: budget reached"), tune.out());
    assertTrue(
        tune.out().contains("Budget: trained_budget: spent 20 of 20, remaining 0"), tune.out());

    List<FrozenTrial> trials = trials("spent");
    PbtToy.Segments segments = PbtToy.assertSegmentsContinueTheirParents(trials, 4);
    double trained = 0;
    for (FrozenTrial t : trials) {
      Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
      double from =
          parent == null
              ? 0
              : segments.byNumber().get(((Number) parent).intValue()).metrics().get("reached");
      trained += t.metrics().get("reached") - from;
    }
    assertEquals(20.0, trained, "steps the toy trained, summed over " + trials.size());
    assertEquals(5, trials.size());

    CliRun show = cli("show", "spent", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertEquals(0, show.exit(), show.err());
    assertTrue(
        show.out().contains("Budget:     trained_budget: spent 20 of 20, remaining 0"), show.out());
  }

  @Test
  void aPbtSectionWithoutItsSettingsNamesTheMissingKeys() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        name: bad
        objectives: [{name: q, direction: maximize}]
        space: {h0: {type: float, low: 0, high: 1}}
        scheduler: {type: pbt, population: 1, quantile: 0.7, perturbation_factors: [1.2, 0.8], mode: fast, max_budget: -3}
        objective: {command: [python3, toy.py, "{h0}"]}
        """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(2, tune.exit(), tune.out() + tune.err());
    String err = tune.err();
    for (String expected :
        List.of(
            "scheduler.population",
            "scheduler.interval",
            "scheduler.quantile",
            "scheduler.perturbation_factors",
            "scheduler.mode",
            "scheduler.max_budget: must be a number above 0")) {
      assertTrue(err.contains(expected), expected + " in: " + err);
    }
  }
}
