package dev.knobflow.optimizers.schedulers.hyperband;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rung ranking by all objectives (Pareto) versus by one named objective. */
class RankByTest {

  private static final List<Objective> OBJECTIVES =
      List.of(Objective.maximize("accuracy"), Objective.minimize("latency_ms"));

  /**
   * (accuracy, latency_ms). Front: (0.95,5) (0.93,4) (0.90,1) (0.80,0.5); dominated: (0.85,2) and
   * (0.70,3). Pareto promotes the front's boundary points (infinite crowding distance), (0.95,5)
   * and (0.80,0.5); accuracy alone promotes (0.95,5) and (0.93,4); latency alone (0.80,0.5) and
   * (0.90,1).
   */
  private static final double[][] RUNG = {
    {0.90, 1}, {0.95, 5}, {0.80, 0.5}, {0.93, 4}, {0.70, 3}, {0.85, 2}
  };

  /** Runs six configurations at rung 0 of ASHA (6 results: 2 slots) and returns the promoted. */
  private static Set<String> promotedBy(BracketScheduler asha) {
    Study study = Study.builder("rank").objectives(OBJECTIVES).scheduler(asha).build();
    Map<Integer, double[]> byNumber = new HashMap<>();
    List<Trial> running = new ArrayList<>();
    for (double[] v : RUNG) {
      Trial t = study.ask(); // all six start before any finishes, so all are at rung 0
      t.suggestFloat("x", 0, 1);
      byNumber.put(t.number(), v);
      running.add(t);
    }
    for (int i = 0; i < RUNG.length; i++) {
      study.tell(running.get(i), TrialResult.of(RUNG[i]));
    }
    Set<String> promoted = new HashSet<>();
    for (int k = 0; k < 3; k++) {
      Trial t = study.ask();
      FrozenTrial stored = study.storage().trial("rank", t.number());
      Object parent = stored.systemAttrs().get(Checkpoint.PARENT_ATTR);
      if (parent != null) {
        double[] v = byNumber.get(((Number) parent).intValue());
        promoted.add(v[0] + "," + v[1]);
      }
      t.suggestFloat("x", 0, 1);
      study.tell(t, TrialResult.of(0.5, 9));
    }
    return promoted;
  }

  private static BracketScheduler asha() {
    return BracketScheduler.asha(BudgetSettings.of(1, 3));
  }

  @Test
  void paretoRankingPromotesTheFrontsBoundaryPointsByDefault() {
    assertTrue(asha().ranking().isAllObjectives());
    assertEquals(Set.of("0.95,5.0", "0.8,0.5"), promotedBy(asha()));
  }

  @Test
  void rankByAccuracyPromotesTheMostAccurateWhateverTheirLatency() {
    assertEquals(Set.of("0.95,5.0", "0.93,4.0"), promotedBy(asha().withRankBy("accuracy")));
  }

  @Test
  void rankByIndexFollowsThatObjectivesDirection() {
    // latency_ms is minimised: the two fastest go on.
    assertEquals(
        Set.of("0.8,0.5", "0.9,1.0"), promotedBy(asha().withRanking(RungRanking.byObjective(1))));
  }

  @Test
  void anUnknownObjectiveFailsOnTheFirstTrialNamingTheSettingAndTheObjectives() {
    Study study =
        Study.builder("bad").objectives(OBJECTIVES).scheduler(asha().withRankBy("acc")).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, study::ask);
    assertTrue(e.getMessage().contains("scheduler.rank_by"), e.getMessage());
    assertTrue(e.getMessage().contains("'acc'"), e.getMessage());
    assertTrue(e.getMessage().contains("accuracy, latency_ms"), e.getMessage());
  }

  @Test
  void anObjectiveIndexOutOfRangeAndABlankNameAreRejected() {
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class, () -> RungRanking.byObjective(2).resolve(OBJECTIVES));
    assertTrue(range.getMessage().contains("scheduler.rank_by"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RungRanking.byObjective(" "));
    assertThrows(IllegalArgumentException.class, () -> RungRanking.byObjective(-1));
  }

  @Test
  void singleObjectiveRankingKeepsFeasibleTrialsFirstThenLessViolation() {
    Study study = Study.builder("c").objectives(OBJECTIVES).build();
    double[][] values = {{0.99, 9}, {0.80, 1}, {0.97, 3}, {0.90, 2}};
    double[] violation = {0.5, 0, 0.1, 0};
    for (int i = 0; i < values.length; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(values[i]).withConstraints(violation[i]));
    }
    Trial failed = study.ask();
    study.tellFailed(failed.number(), "boom");
    List<Integer> order =
        RungRanking.byObjective("accuracy").rank(study.trials(), study.objectives()).stream()
            .map(FrozenTrial::number)
            .toList();
    // Feasible 3 (0.90) and 1 (0.80) by accuracy, then 2 (violation 0.1), 0 (0.5), failed last.
    assertEquals(List.of(3, 1, 2, 0, 4), order);
  }

  @Test
  void settingsAreImmutableAndShownInTheDescription() {
    BracketScheduler hb = BracketScheduler.hyperband(BudgetSettings.of(10, 270));
    BracketScheduler byAccuracy = hb.withRankBy("accuracy");
    assertTrue(hb.ranking().isAllObjectives());
    assertEquals(RungRanking.byObjective("accuracy"), byAccuracy.ranking());
    assertEquals(hb.settings(), byAccuracy.settings());
    assertEquals(hb.cycle(), byAccuracy.cycle());
    assertFalse(hb.describe().contains("rank_by"));
    assertTrue(byAccuracy.describe().endsWith(", rank_by=accuracy)"), byAccuracy.describe());
  }

  @Test
  void bohbRanksItsRungsAndItsModelObservationsTheSameWay() {
    Bohb bohb = Bohb.create(BudgetSettings.of(1, 9), 3);
    Bohb byLatency = bohb.withRanking(RungRanking.byObjective("latency_ms"));
    assertTrue(bohb.scheduler().ranking().isAllObjectives());
    assertTrue(bohb.sampler().ranking().isAllObjectives());
    assertEquals(RungRanking.byObjective("latency_ms"), byLatency.scheduler().ranking());
    assertEquals(RungRanking.byObjective("latency_ms"), byLatency.sampler().ranking());
  }
}
