package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CrowdingDistanceTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interiorPointsSumNormalisedNeighbourGapsAndBoundariesAreInfinite() {
    // f1 range 6, f2 range 5
    double[][] front = {{0, 5}, {1, 3}, {3, 1}, {6, 0}};
    double[] distance = CrowdingDistance.compute(front);
    // (1,3): (3-0)/6 + (5-1)/5 = 1.3 ; (3,1): (6-1)/6 + (3-0)/5 = 1.4333...
    assertArrayEquals(new double[] {INF, 0.5 + 0.8, 5.0 / 6 + 0.6, INF}, distance, 1e-12);
  }

  @Test
  void indicesSelectTheFrontMembersAndResultsFollowTheirOrder() {
    double[][] points = {{6, 0}, {100, 100}, {3, 1}, {0, 5}, {1, 3}};
    double[] distance = CrowdingDistance.compute(points, new int[] {4, 2, 0, 3});
    assertArrayEquals(new double[] {1.3, 5.0 / 6 + 0.6, INF, INF}, distance, 1e-12);
  }

  @Test
  void anObjectiveWithZeroRangeAddsNothingNotEvenBoundaries() {
    double[][] front = {{0, 1}, {1, 1}, {3, 1}, {4, 1}};
    assertArrayEquals(new double[] {INF, 0.75, 0.75, INF}, CrowdingDistance.compute(front), 1e-12);
    double[][] allEqual = {{2, 2}, {2, 2}, {2, 2}};
    assertArrayEquals(new double[] {0, 0, 0}, CrowdingDistance.compute(allEqual), 0.0);
  }

  @Test
  void frontsOfAtMostTwoAreAllBoundary() {
    assertArrayEquals(
        new double[] {INF, INF}, CrowdingDistance.compute(new double[][] {{0, 1}, {1, 0}}), 0.0);
    assertEquals(0, CrowdingDistance.compute(new double[0][]).length);
  }

  @Test
  void infiniteRangeMarksBoundariesButAddsNothingInside() {
    double[][] front = {{0, 3}, {1, 2}, {2, 1}, {INF, 0}};
    // f1 range infinite: boundaries only; f2 range 3: (1,2): (3-1)/3, (2,1): (2-0)/3
    assertArrayEquals(
        new double[] {INF, 2.0 / 3, 2.0 / 3, INF}, CrowdingDistance.compute(front), 1e-12);
  }

  @Test
  void repeatedOrOutOfRangeIndicesAreRejected() {
    double[][] points = {{0, 1}, {1, 0}};
    assertThrows(
        IllegalArgumentException.class, () -> CrowdingDistance.compute(points, new int[] {0, 0}));
    assertThrows(
        IllegalArgumentException.class, () -> CrowdingDistance.compute(points, new int[] {2}));
  }
}
