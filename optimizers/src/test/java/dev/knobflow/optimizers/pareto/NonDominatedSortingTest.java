package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NonDominatedSortingTest {

  @Test
  void smallExampleHasTheHandComputedFronts() {
    double[][] points = {
      {1, 5}, // 0: front 0
      {2, 2}, // 1: front 0
      {5, 1}, // 2: front 0
      {3, 3}, // 3: dominated by 1 -> front 1
      {4, 4}, // 4: dominated by 3 -> front 2
      {2, 6}, // 5: dominated by 0 -> front 1
    };
    Fronts fronts = NonDominatedSorting.sort(points);
    assertArrayEquals(new int[] {0, 0, 0, 1, 2, 1}, fronts.ranks());
    assertEquals(3, fronts.frontCount());
    assertArrayEquals(new int[] {0, 1, 2}, fronts.front(0));
    assertArrayEquals(new int[] {3, 5}, fronts.front(1));
    assertArrayEquals(new int[] {4}, fronts.front(2));
    assertArrayEquals(new int[] {0, 1, 2}, NonDominatedSorting.paretoFront(points));
  }

  @Test
  void ranksEqualBruteForcePeelingForContinuousPointsInOneToFiveObjectives() {
    Random random = new Random(20240601L);
    for (int m = 1; m <= 5; m++) {
      for (int repeat = 0; repeat < 5; repeat++) {
        double[][] points = BruteForce.uniform(random, 150, m);
        assertArrayEquals(
            BruteForce.ranks(points, null),
            NonDominatedSorting.sort(points).ranks(),
            "m=" + m + " repeat=" + repeat);
      }
    }
  }

  @Test
  void ranksEqualBruteForceWhenTiesAndDuplicatesAbound() {
    Random random = new Random(7L);
    for (int m = 1; m <= 5; m++) {
      for (int levels : new int[] {2, 3, 5}) {
        double[][] points = BruteForce.integerGrid(random, 200, m, levels);
        assertArrayEquals(
            BruteForce.ranks(points, null),
            NonDominatedSorting.sort(points).ranks(),
            "m=" + m + " levels=" + levels);
      }
    }
  }

  @Test
  void mutuallyNonDominatedPointsAllLandInFrontZero() {
    Random random = new Random(3L);
    for (int m = 2; m <= 5; m++) {
      double[][] points = BruteForce.sphere(random, 300, m);
      Fronts fronts = NonDominatedSorting.sort(points);
      assertEquals(1, fronts.frontCount(), "m=" + m);
      assertEquals(300, fronts.front(0).length);
    }
  }

  @Test
  void aChainOfDominatedPointsGivesOneFrontPerPoint() {
    double[][] points = new double[50][3];
    for (int i = 0; i < 50; i++) {
      int value = 49 - i; // reversed so the sort has work to do
      points[i] = new double[] {value, value, value};
    }
    int[] ranks = NonDominatedSorting.sort(points).ranks();
    for (int i = 0; i < 50; i++) {
      assertEquals(49 - i, ranks[i]);
    }
  }

  @Test
  void duplicatesShareARankAndDoNotDominateEachOther() {
    double[][] points = {{1, 2, 3}, {1, 2, 3}, {0, 0, 0}, {1, 2, 3}, {0, 0, 0}};
    assertArrayEquals(new int[] {1, 1, 0, 1, 0}, NonDominatedSorting.sort(points).ranks());
  }

  @Test
  void nanCountsAsPositiveInfinityAndNegativeZeroEqualsZero() {
    double[][] points = {{Double.NaN, 0}, {1, 0}, {Double.POSITIVE_INFINITY, 0}, {-0.0, 5}};
    // (1,0) dominates (NaN,0) == (inf,0); (-0.0,5) is incomparable with (1,0)
    assertArrayEquals(new int[] {1, 0, 1, 0}, NonDominatedSorting.sort(points).ranks());
    double[][] zeros = {{-0.0, 1, 1}, {0.0, 0, 1}, {0.0, 1, 1}};
    // (0,0,1) dominates both others, which are equal to each other
    assertArrayEquals(new int[] {1, 0, 1}, NonDominatedSorting.sort(zeros).ranks());
  }

  @Test
  void sortingLeavesTheInputUnchanged() {
    double[][] points = BruteForce.uniform(new Random(1L), 100, 3);
    double[][] copy = BruteForce.deepCopy(points);
    NonDominatedSorting.sort(points);
    NonDominatedSorting.sort(points, new double[100]);
    assertTrue(java.util.Arrays.deepEquals(copy, points));
  }

  @Test
  void emptyInputGivesNoFronts() {
    Fronts fronts = NonDominatedSorting.sort(new double[0][]);
    assertEquals(0, fronts.size());
    assertEquals(0, fronts.frontCount());
    assertEquals(0, fronts.paretoFront().length);
  }

  @Test
  void feasiblePointsComeFirstThenInfeasibleOnesByViolation() {
    double[][] points = {{1, 1}, {0, 0}, {2, 2}, {0, 0}, {5, 5}, {0, 3}};
    double[] violations = {0, 0.5, 0, 2, 0.5, 0};
    Fronts fronts = NonDominatedSorting.sort(points, violations);
    // feasible: {0, 5} then {2}; violation 0.5: {1} dominates {4}; then violation 2: {3}
    assertArrayEquals(new int[] {0, 2, 1, 4, 3, 0}, fronts.ranks());
    assertArrayEquals(new int[] {1}, fronts.front(2));
  }

  @Test
  void constrainedRanksEqualBruteForceConstraintDomination() {
    Random random = new Random(99L);
    for (int m = 1; m <= 4; m++) {
      double[][] points = BruteForce.integerGrid(random, 150, m, 4);
      double[] violations = new double[150];
      for (int i = 0; i < 150; i++) {
        violations[i] = random.nextBoolean() ? 0.0 : random.nextInt(4) * 0.25;
      }
      assertArrayEquals(
          BruteForce.ranks(points, violations),
          NonDominatedSorting.sort(points, violations).ranks(),
          "m=" + m);
    }
  }

  @Test
  void infeasiblePointsAreOrderedByViolationThenObjectivesAndNanViolationIsWorst() {
    double[][] points = {{0, 0}, {9, 9}, {5, 5}, {1, 1}, {0, 9}};
    double[] violations = {3.0, 1.0, Double.NaN, 1.0, 1.0};
    // violation 1: {3} and {4} are incomparable, both dominate {1}; then 3; then NaN (infinite)
    assertArrayEquals(
        new int[] {2, 1, 3, 0, 0}, NonDominatedSorting.sort(points, violations).ranks());
  }

  @Test
  void badInputIsRejectedWithTheArgumentNamed() {
    IllegalArgumentException ragged =
        assertThrows(
            IllegalArgumentException.class,
            () -> NonDominatedSorting.sort(new double[][] {{1, 2}, {1}}));
    assertTrue(ragged.getMessage().contains("points[1]"), ragged.getMessage());
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> NonDominatedSorting.sort(new double[][] {{1}, {2}}, new double[] {0, -1}));
    assertTrue(negative.getMessage().contains("violations[1]"), negative.getMessage());
    IllegalArgumentException length =
        assertThrows(
            IllegalArgumentException.class,
            () -> NonDominatedSorting.sort(new double[][] {{1}, {2}}, new double[] {0}));
    assertTrue(length.getMessage().contains("violations"), length.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NonDominatedSorting.sort(null));
    assertThrows(
        IllegalArgumentException.class, () -> NonDominatedSorting.sort(new double[][] {{}}));
  }

  @Test
  void frontsAccessorsReturnCopiesAndCheckBounds() {
    Fronts fronts = NonDominatedSorting.sort(new double[][] {{1, 2}, {2, 1}, {3, 3}});
    fronts.ranks()[0] = 42;
    fronts.front(0)[0] = 42;
    assertEquals(0, fronts.rank(0));
    assertArrayEquals(new int[] {0, 1}, fronts.front(0));
    assertEquals(2, fronts.fronts().size());
    assertThrows(IllegalArgumentException.class, () -> fronts.front(2));
    assertThrows(IllegalArgumentException.class, () -> fronts.rank(-1));
  }
}
