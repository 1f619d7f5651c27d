package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  /** The PBT paper's toy problem as a command: theta and the step reached live in state.json. */
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
      theta = state["theta"]
      while state["step"] < budget:
          theta[0] += 0.01 * (-2 * h0 * theta[0])
          theta[1] += 0.01 * (-2 * h1 * theta[1])
          state["step"] += 1
      state["trials"].append(int(os.environ["KNOBFLOW_TRIAL_NUMBER"]))
      with open(os.path.join(os.environ["KNOBFLOW_CHECKPOINT_DIR"], "state.json"), "w") as f:
          json.dump(state, f)
      print(json.dumps({"q": 1.2 - theta[0] ** 2 - theta[1] ** 2, "reached": state["step"]}))
      """;

  private List<FrozenTrial> trials(String name) {
    try (JournalStorage journal = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      return journal.trials(name);
    }
  }

  @Test
  void aPbtStudyExploitsThroughCheckpointDirectoriesAndKeepsOneCheckpointPerMember()
      throws Exception {
    Files.writeString(dir.resolve("toy.py"), TOY);
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        """
        name: toy
        storage: journal:journal.jsonl
        seed: 4
        objectives: [{name: q, direction: maximize}]
        space:
          h0: {type: float, low: 0, high: 1}
          h1: {type: float, low: 0, high: 1}
        scheduler: {type: pbt, population: 4, interval: 5, quantile: 0.25}
        trials: 24
        objective: {command: [python3, toy.py, "{h0}", "{h1}"], checkpoints: ckpt}
        """);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    List<FrozenTrial> trials = trials("toy");
    assertEquals(24, trials.size());
    Map<Integer, FrozenTrial> byNumber =
        trials.stream().collect(Collectors.toMap(FrozenTrial::number, t -> t));
    int exploits = 0;
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.number() + ": " + t.failReason());
      Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
      double step = t.metrics().get("reached");
      if (parent == null) {
        assertEquals(5.0, step, "a first segment trains one interval from scratch");
        continue;
      }
      FrozenTrial from = byNumber.get(((Number) parent).intValue());
      assertEquals(
          from.metrics().get("reached") + 5,
          step,
          "trial " + t.number() + " resumed " + from.number());
      if (t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR)) {
        exploits++;
      }
    }
    assertTrue(exploits >= 2, "exploits " + exploits);

    // Only the checkpoints a segment could still start from are left: one per member.
    Path root = dir.resolve("ckpt").resolve("toy");
    try (Stream<Path> left = Files.list(root)) {
      assertEquals(4, left.count());
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
    JsonNode json = new ObjectMapper().readTree(show.out());
    int lineages = 0;
    for (JsonNode t : json.get("trials")) {
      assertTrue(t.has("pbt"), t.toString());
      if (t.has("lineage")) {
        lineages++;
        assertEquals(t.get("parent_trial").asInt(), t.get("lineage").get("from_trial").asInt());
      }
    }
    assertEquals(exploits, lineages);
  }

  @Test
  void maxBudgetStopsEveryMemberThereAndEndsTheStudyBeforeItsTrialTarget() throws Exception {
    Files.writeString(dir.resolve("toy.py"), TOY);
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        """
        name: capped
        storage: journal:journal.jsonl
        seed: 4
        objectives: [{name: q, direction: maximize}]
        space:
          h0: {type: float, low: 0, high: 1}
          h1: {type: float, low: 0, high: 1}
        scheduler: {type: pbt, population: 2, interval: 5, max_budget: 12}
        trials: 50
        objective: {command: [python3, toy.py, "{h0}", "{h1}"], checkpoints: ckpt}
        """);
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
    Map<Object, Double> reached =
        trials.stream()
            .collect(
                Collectors.toMap(
                    t -> t.systemAttrs().get(PbtScheduler.MEMBER_ATTR),
                    t -> t.metrics().get("reached"),
                    Math::max));
    assertEquals(List.of(12.0, 12.0), List.copyOf(reached.values()));
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
