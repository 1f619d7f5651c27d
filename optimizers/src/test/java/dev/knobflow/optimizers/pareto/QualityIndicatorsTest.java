package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QualityIndicatorsTest {

  private static final double[][] FRONT = {{0, 1}, {1, 0}};
  private static final double[][] REFERENCE = {{0, 0}, {0.5, 0.5}};

  @Test
  void igdAveragesDistancesFromReferencePointsToTheirNearestFrontPoint() {
    // (0,0) -> 1 ; (0.5,0.5) -> sqrt(0.5)
    assertEquals((1 + Math.sqrt(0.5)) / 2, QualityIndicators.igd(FRONT, REFERENCE), 1e-15);
  }

  @Test
  void igdPlusCountsOnlyHowMuchWorseTheFrontIs() {
    // (0,0) -> 1 ; (0.5,0.5) -> from (0,1): sqrt(0 + 0.25) = 0.5
    assertEquals(0.75, QualityIndicators.igdPlus(FRONT, REFERENCE), 1e-15);
    // a front that dominates the reference front has IGD+ 0 but positive IGD
    double[][] better = {{-1, -1}};
    assertEquals(0.0, QualityIndicators.igdPlus(better, REFERENCE), 0.0);
    assertTrue(QualityIndicators.igd(better, REFERENCE) > 1.0);
  }

  @Test
  void gdAveragesDistancesFromFrontPointsToTheReference() {
    assertEquals(Math.sqrt(0.5), QualityIndicators.gd(FRONT, REFERENCE), 1e-15);
  }

  @Test
  void aFrontEqualToTheReferenceScoresZeroAndAnEmptyFrontInfinity() {
    assertEquals(0.0, QualityIndicators.igd(REFERENCE, REFERENCE), 0.0);
    assertEquals(0.0, QualityIndicators.igdPlus(REFERENCE, REFERENCE), 0.0);
    assertEquals(Double.POSITIVE_INFINITY, QualityIndicators.igd(new double[0][], REFERENCE), 0.0);
    assertEquals(
        Double.POSITIVE_INFINITY, QualityIndicators.igdPlus(new double[0][], REFERENCE), 0.0);
  }

  @Test
  void hypervolumeDelegatesToTheExactComputation() {
    // two 1 x 2 boxes overlapping in a unit square
    assertEquals(3.0, QualityIndicators.hypervolume(FRONT, new double[] {2, 2}), 1e-15);
  }

  @Test
  void badInputIsRejectedWithTheArgumentNamed() {
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class, () -> QualityIndicators.igd(FRONT, new double[0][]));
    assertTrue(empty.getMessage().contains("referenceFront"));
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> QualityIndicators.igd(new double[][] {{0, Double.NaN}}, REFERENCE));
    assertTrue(nan.getMessage().contains("front[0][1]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> QualityIndicators.igdPlus(new double[][] {{0, 0, 0}}, REFERENCE));
  }
}
