package dev.knobflow.optimizers.samplers.nsga2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.pareto.Dominance;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SurvivorSelectionTest {

  private static Candidate c(int number, double f1, double f2, double violation) {
    return new Candidate(number, List.of(f1, f2), violation, Map.of());
  }

  private static List<Integer> numbers(List<Candidate> cs) {
    return cs.stream().map(Candidate::number).toList();
  }

  @Test
  void dominatedCandidatesAreDroppedFirst() {
    List<Candidate> pool =
        List.of(c(0, 1, 5, 0), c(1, 2, 2, 0), c(2, 3, 3, 0), c(3, 5, 1, 0), c(4, 4, 4, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 3);
    assertEquals(List.of(0, 1, 3), numbers(survivors).stream().sorted().toList());
  }

  @Test
  void extremesOfAFrontWinOnCrowdingDistance() {
    List<Candidate> pool =
        List.of(c(0, 0, 10, 0), c(1, 5, 5, 0), c(2, 5.1, 4.9, 0), c(3, 10, 0, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 3);
    // The boundary points have infinite crowding distance and come first.
    assertEquals(List.of(0, 3), numbers(survivors.subList(0, 2)).stream().sorted().toList());
    assertEquals(3, survivors.size());
  }

  @Test
  void feasibleBeatInfeasibleAndLessViolationBeatsMore() {
    List<Candidate> pool =
        List.of(c(0, 0, 0, 3.0), c(1, 9, 9, 0), c(2, 0, 0, 0.5), c(3, 1, 1, 1.0), c(4, 8, 9, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 5);
    assertEquals(List.of(4, 1, 2, 3, 0), numbers(survivors));
    assertEquals(List.of(4, 1, 2), numbers(SurvivorSelection.select(pool, 3)));
  }

  @Test
  void askingForMoreThanThePoolReturnsThePool() {
    assertEquals(2, SurvivorSelection.select(List.of(c(0, 1, 2, 0), c(1, 2, 1, 0)), 50).size());
    assertEquals(0, SurvivorSelection.select(List.of(), 50).size());
  }

  /**
   * Two infeasible points with equal violation: NSGA-II's survival, the constrained sort, the
   * dominance rule and the study's Pareto front (which the reports use) must agree. The rule: equal
   * violations compare by objectives, so (1, 1) dominates (2, 2) and (0, 3) is incomparable.
   */
  @Test
  void everyPlaceAgreesOnTwoInfeasiblePointsWithEqualViolation() {
    double[] better = {1, 1};
    double[] worse = {2, 2};
    double[] other = {0, 3};
    assertTrue(Dominance.constrainedDominates(better, 0.5, worse, 0.5));
    assertFalse(Dominance.constrainedDominates(worse, 0.5, better, 0.5));
    assertFalse(Dominance.constrainedDominates(other, 0.5, better, 0.5));
    assertFalse(Dominance.constrainedDominates(better, 0.5, other, 0.5));

    // SurvivorSelection works on the maximised, negated form with the negated violation last.
    assertEquals(1, SurvivorSelection.constrainedDominance(max(better, 0.5), max(worse, 0.5), 2));
    assertEquals(-1, SurvivorSelection.constrainedDominance(max(worse, 0.5), max(better, 0.5), 2));
    assertEquals(0, SurvivorSelection.constrainedDominance(max(other, 0.5), max(better, 0.5), 2));
    assertEquals(
        List.of(0),
        numbers(SurvivorSelection.select(List.of(c(0, 1, 1, 0.5), c(1, 2, 2, 0.5)), 1)));

    assertArrayEquals(
        new int[] {0, 1, 0},
        NonDominatedSorting.sort(
                new double[][] {better, worse, other}, new double[] {0.5, 0.5, 0.5})
            .ranks());

    Study study =
        Study.builder("equal-violation")
            .objectives(Objective.minimize("f1"), Objective.minimize("f2"))
            .build();
    for (double[] p : List.of(better, worse, other)) {
      study.tell(study.ask(), TrialResult.of(p).withConstraints(0.5));
    }
    assertEquals(List.of(0, 2), study.paretoFront().stream().map(FrozenTrial::number).toList());

    Study single = Study.builder("equal-violation-1").objectives(Objective.minimize("f")).build();
    single.tell(single.ask(), TrialResult.of(2).withConstraints(0.5));
    single.tell(single.ask(), TrialResult.of(1).withConstraints(0.5));
    assertEquals(1, single.bestTrial().orElseThrow().number(), "equal violation: the better value");
  }

  private static double[] max(double[] minimised, double violation) {
    return new double[] {-minimised[0], -minimised[1], -violation};
  }
}
