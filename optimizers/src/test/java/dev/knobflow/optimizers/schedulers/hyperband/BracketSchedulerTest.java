package dev.knobflow.optimizers.schedulers.hyperband;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BracketSchedulerTest {

  /** Loss decreasing in x, so the ranking is known: lower x is better at every budget. */
  private static double loss(double x, double budget) {
    return x + 1.0 / budget;
  }

  private static Study study(String name, StudyStorage storage, BracketScheduler scheduler) {
    return Study.builder(name)
        .storage(storage)
        .sampler(RandomSampler.seeded(7))
        .scheduler(scheduler)
        .build();
  }

  private static FrozenTrial runOne(Study study) {
    Trial t = study.ask();
    double x = t.suggestFloat("x", 0, 1);
    return study.tell(t, TrialResult.of(loss(x, t.budget().getAsDouble())));
  }

  private static int rungOf(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(BracketScheduler.RUNG_ATTR)).intValue();
  }

  @Test
  void hyperbandGrantsTheBracketBudgetsInOrderAndPromotesTheBest() {
    BracketScheduler hb = BracketScheduler.hyperband(BudgetSettings.of(1, 9));
    // s_max = 2: bracket s=2 is 9 configs at 1, 3 at 3, 1 at 9; s=1: 5 at 3, 1 at 9; s=0: 3 at 9.
    Study study = study("hb", InMemoryStorage.create(), hb);
    List<FrozenTrial> done = new ArrayList<>();
    for (int i = 0; i < 9 + 3 + 1 + 5 + 1 + 3; i++) {
      done.add(runOne(study));
    }
    double[] budgets = done.stream().mapToDouble(FrozenTrial::budget).toArray();
    double[] expected = {1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 9, 3, 3, 3, 3, 3, 9, 9, 9, 9};
    assertArrayEquals(expected, budgets, 1e-9);
    // The three promoted to budget 3 are the three best of rung 0, best first.
    List<FrozenTrial> rung0 =
        done.subList(0, 9).stream().sorted((a, b) -> Double.compare(a.value(), b.value())).toList();
    for (int k = 0; k < 3; k++) {
      FrozenTrial child = done.get(9 + k);
      assertEquals(rung0.get(k).number(), child.systemAttrs().get(Checkpoint.PARENT_ATTR));
      assertEquals(rung0.get(k).params(), child.params());
    }
    // The final rung of bracket 2 continues the best of the three.
    FrozenTrial top = done.get(12);
    FrozenTrial bestOfRung1 =
        done.subList(9, 12).stream().min((a, b) -> Double.compare(a.value(), b.value())).get();
    assertEquals(bestOfRung1.number(), top.systemAttrs().get(Checkpoint.PARENT_ATTR));
  }

  @Test
  void synchronousHalvingStartsTheNextBracketInsteadOfWaitingForStragglers() {
    BracketScheduler sh = BracketScheduler.successiveHalving(BudgetSettings.of(1, 9));
    Study study = study("sh", InMemoryStorage.create(), sh);
    for (int i = 0; i < 8; i++) {
      runOne(study);
    }
    Trial straggler = study.ask(); // ninth config of bracket 0, still running
    straggler.suggestFloat("x", 0, 1);
    Trial next = study.ask();
    assertEquals(1, next.budget().getAsDouble(), 1e-9, "no promotion before the rung is done");
    assertEquals(
        1,
        ((Number)
                study
                    .storage()
                    .trial("sh", next.number())
                    .systemAttrs()
                    .get(BracketScheduler.BRACKET_ATTR))
            .intValue());
  }

  @Test
  void ashaPromotesAsSoonAsARungAllowsWithoutWaitingForStragglers() {
    BracketScheduler asha = BracketScheduler.asha(BudgetSettings.of(1, 9));
    Study study = study("asha", InMemoryStorage.create(), asha);
    Trial straggler = study.ask();
    straggler.suggestFloat("x", 0, 1); // never finishes during this test
    List<FrozenTrial> finished = new ArrayList<>();
    finished.add(runOne(study));
    finished.add(runOne(study));
    assertEquals(1, study.ask().budget().getAsDouble(), 1e-9, "2 results: floor(2/3) = 0 slots");
    // The third ask above left a running trial; finish one more to reach 3 results.
    FrozenTrial third = runOne(study);
    finished.add(third);
    Trial promoted = study.ask();
    assertEquals(3, promoted.budget().getAsDouble(), 1e-9);
    FrozenTrial best = finished.stream().min((a, b) -> Double.compare(a.value(), b.value())).get();
    promoted.suggestFloat("x", 0, 1); // define-by-run: the parent's value comes back
    assertEquals(best.params(), promoted.params());
    FrozenTrial stored = study.storage().trial("asha", promoted.number());
    assertEquals(best.number(), stored.systemAttrs().get(Checkpoint.PARENT_ATTR));
    assertEquals(1, rungOf(stored));
  }

  @Test
  void multiObjectiveRungPromotesByParetoRankThenCrowding() {
    BracketScheduler asha = BracketScheduler.asha(BudgetSettings.of(1, 3));
    Study study =
        Study.builder("mo")
            .objectives(Objective.minimize("loss"), Objective.minimize("cost"))
            .scheduler(asha)
            .build();
    // Front: (0,4) (1,1) (4,0); dominated: (2,2) and (5,5); 6 results -> 2 promotion slots.
    double[][] values = {{2, 2}, {0, 4}, {5, 5}, {1, 1}, {4, 0}, {3, 3}};
    Map<Integer, double[]> byNumber = new HashMap<>();
    List<Trial> running = new ArrayList<>();
    for (double[] v : values) {
      Trial t = study.ask(); // all six start before any finishes, so all are at rung 0
      t.suggestFloat("x", 0, 1);
      byNumber.put(t.number(), v);
      running.add(t);
    }
    for (int i = 0; i < values.length; i++) {
      study.tell(running.get(i), TrialResult.of(values[i]));
    }
    Set<String> promoted = new HashSet<>();
    for (int k = 0; k < 3; k++) {
      Trial t = study.ask();
      FrozenTrial stored = study.storage().trial("mo", t.number());
      Object parent = stored.systemAttrs().get(Checkpoint.PARENT_ATTR);
      if (parent != null) {
        double[] v = byNumber.get(((Number) parent).intValue());
        promoted.add((int) v[0] + "," + (int) v[1]);
      }
      t.suggestFloat("x", 0, 1);
      study.tell(t, TrialResult.of(9, 9));
    }
    // Boundary points of the first front have infinite crowding distance: they go first.
    assertEquals(Set.of("0,4", "4,0"), promoted);
  }

  @Test
  void rungRankingPutsFailedTrialsLastAndOrdersByDirection() {
    Study study = Study.builder("rank").objectives(Objective.maximize("acc")).build();
    for (double v : new double[] {0.5, 0.9, 0.7}) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(v));
    }
    Trial failed = study.ask();
    study.tellFailed(failed.number(), "boom");
    List<FrozenTrial> order = RungRanking.order(study.trials(), study.objectives());
    assertEquals(List.of(1, 2, 0, 3), order.stream().map(FrozenTrial::number).toList());
  }

  @Test
  void aNewStudyOnTheSameJournalContinuesTheBrackets(@TempDir Path dir) {
    Path journal = dir.resolve("journal.jsonl");
    BracketScheduler hb = BracketScheduler.hyperband(BudgetSettings.of(1, 9));
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study first = study("resume", storage, hb);
      for (int i = 0; i < 10; i++) {
        runOne(first);
      }
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study second = study("resume", storage, hb);
      List<Double> budgets = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        budgets.add(runOne(second).budget());
      }
      // Trial 9 was the first promotion to budget 3; the next two follow, then the top rung.
      assertEquals(List.of(3.0, 3.0, 9.0), budgets);
      Set<Object> parents = new HashSet<>();
      for (FrozenTrial t : second.trials()) {
        Object p = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
        if (p != null) {
          assertTrue(parents.add(p), "parent " + p + " promoted twice");
        }
      }
      assertEquals(4, parents.size());
    }
  }

  @Test
  void fourParallelWorkersNeverPromoteTheSameConfigurationTwice() {
    for (BracketScheduler scheduler :
        List.of(
            BracketScheduler.asha(BudgetSettings.of(1, 27)),
            BracketScheduler.hyperband(BudgetSettings.of(1, 27)))) {
      Study study = study("parallel-" + scheduler.describe(), InMemoryStorage.create(), scheduler);
      study.optimize(
          t -> {
            double x = t.suggestFloat("x", 0, 1);
            Thread.yield();
            return TrialResult.of(loss(x, t.budget().getAsDouble()));
          },
          OptimizeOptions.trials(300).withParallelism(4));
      Map<Integer, Integer> childrenPerParent = new HashMap<>();
      for (FrozenTrial t : study.trials()) {
        assertEquals(TrialState.COMPLETE, t.state());
        Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
        if (parent != null) {
          int p = ((Number) parent).intValue();
          childrenPerParent.merge(p, 1, Integer::sum);
          FrozenTrial parentTrial = study.storage().trial(study.name(), p);
          assertEquals(parentTrial.params(), t.params());
          assertTrue(t.budget() > parentTrial.budget());
        }
        if (Boolean.TRUE.equals(t.systemAttrs().get(BracketScheduler.CLAIM_LOST_ATTR))) {
          assertEquals(null, parent);
        }
      }
      assertFalse(childrenPerParent.isEmpty());
      childrenPerParent.forEach(
          (p, n) -> assertEquals(1, n, "trial " + p + " was promoted " + n + " times"));
    }
  }

  @Test
  void enqueuedTrialsJoinRungZero() {
    Study study =
        study(
            "enqueued", InMemoryStorage.create(), BracketScheduler.asha(BudgetSettings.of(2, 18)));
    study.enqueue(Map.of("x", 0.25));
    Trial t = study.ask();
    assertEquals(0.25, t.suggestFloat("x", 0, 1), 1e-12);
    assertEquals(2, t.budget().getAsDouble(), 1e-9);
  }

  @Test
  void aPromotedChildLoadsItsParentsCheckpoint() {
    Study study =
        study("ckpt", InMemoryStorage.create(), BracketScheduler.asha(BudgetSettings.of(1, 3)));
    Map<Integer, String> saved = new HashMap<>();
    List<String> loadedByChildren = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Trial t = study.ask();
      double x = t.suggestFloat("x", 0, 1);
      var resumed = t.checkpoint().load();
      if (t.checkpoint().parent().isPresent()) {
        loadedByChildren.add(new String(resumed.orElseThrow(), StandardCharsets.UTF_8));
      } else {
        assertTrue(resumed.isEmpty());
      }
      String state = "trained to " + t.budget().getAsDouble() + " by trial " + t.number();
      t.checkpoint().save(state.getBytes(StandardCharsets.UTF_8));
      saved.put(t.number(), state);
      study.tell(t, TrialResult.of(x));
    }
    FrozenTrial child = study.trials().get(3);
    int parent = ((Number) child.systemAttrs().get(Checkpoint.PARENT_ATTR)).intValue();
    assertEquals(List.of(saved.get(parent)), loadedByChildren);
  }
}
