package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoundPileUpTest {

  private static final SearchSpace SPACE =
      SearchSpace.builder()
          .add("lr", FloatDistribution.logOf(1e-4, 1e-1))
          .add("x", FloatDistribution.of(0, 1))
          .add("n", IntDistribution.of(1, 8))
          .build();

  /**
   * {@code trials} trials with random params, except that the {@code crowded} best ones have lr
   * within 1% (log space) of its upper bound and n on its lower bound.
   */
  private static Study study(int trials, int crowded, Direction direction) {
    Study study = Study.builder("bounds").space(SPACE).direction(direction).build();
    SplittableRandom rng = new SplittableRandom(5);
    double sign = direction == Direction.MINIMIZE ? 1 : -1;
    for (int i = 0; i < trials; i++) {
      boolean atBound = i < crowded;
      // 10^(-1 - 0.02) is within 1% of the 3-decade log range below 0.1.
      double lr =
          atBound
              ? Math.pow(10, -1 - 0.02 * rng.nextDouble())
              : Math.pow(10, -4 + 2.5 * rng.nextDouble());
      long n = atBound ? 1 : 2 + rng.nextInt(7);
      study.enqueue(Map.of("lr", lr, "x", rng.nextDouble(), "n", n));
      Trial t = study.ask();
      study.tell(t, TrialResult.of(sign * (atBound ? i : 100 + i)));
    }
    return study;
  }

  @Test
  void bestTrialsAtTheUpperBoundOfALogRangeAreReportedWithAWiderRange() {
    List<BoundPileUp> found =
        BoundPileUp.find(
            study(40, 4, Direction.MINIMIZE).trials(), List.of(Objective.minimize("value")));
    BoundPileUp lr = found.stream().filter(b -> b.param().equals("lr")).findFirst().orElseThrow();
    assertTrue(lr.upper());
    assertEquals(0.1, lr.bound());
    assertEquals(4, lr.atBound());
    assertEquals(5, lr.best(), "10% of 40 is 4, at least 5 are looked at");
    assertEquals(1e-4, lr.suggestedLow());
    assertEquals(1.0, lr.suggestedHigh(), 1e-12);
    assertEquals(
        "4 of the 5 best trials have lr at its upper bound 0.1: consider widening the range to"
            + " [0.0001, 1]",
        lr.describe());
    BoundPileUp n = found.stream().filter(b -> b.param().equals("n")).findFirst().orElseThrow();
    assertFalse(n.upper());
    assertEquals(1.0, n.bound());
    assertEquals("[1, 8]", n.suggestedRange(), "a positive integer range stays at 1 or more");
    assertTrue(found.stream().noneMatch(b -> b.param().equals("x")), "x is spread: " + found);
  }

  @Test
  void theDirectionDecidesWhichTrialsAreBest() {
    // Maximised: the crowded trials have the largest values, so they are still the best.
    List<BoundPileUp> found =
        BoundPileUp.find(
            study(40, 4, Direction.MAXIMIZE).trials(), List.of(Objective.maximize("value")));
    assertEquals(List.of("lr", "n"), found.stream().map(BoundPileUp::param).toList());
    // Minimised with the same values negated the other way round: the crowded trials are worst.
    Study s = study(40, 4, Direction.MAXIMIZE);
    assertEquals(List.of(), BoundPileUp.find(s.trials(), List.of(Objective.minimize("value"))));
  }

  @Test
  void fewerThanHalfOfTheBestTrialsAtABoundIsNoPileUp() {
    assertEquals(
        List.of(),
        BoundPileUp.find(
            study(40, 2, Direction.MINIMIZE).trials(), List.of(Objective.minimize("value"))));
  }

  @Test
  void nothingIsSaidBeforeTwentyCompletedTrials() {
    assertEquals(
        List.of(),
        BoundPileUp.find(
            study(19, 10, Direction.MINIMIZE).trials(), List.of(Objective.minimize("value"))));
  }
}
