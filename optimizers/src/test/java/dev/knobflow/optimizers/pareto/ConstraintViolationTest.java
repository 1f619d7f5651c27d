package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConstraintViolationTest {

  @Test
  void feasibleMeansEveryValueAtMostZero() {
    assertTrue(ConstraintViolation.isFeasible(new double[] {0.0, -3.0}));
    assertTrue(ConstraintViolation.isFeasible(new double[0]));
    assertFalse(ConstraintViolation.isFeasible(new double[] {-1.0, 1e-12}));
    assertFalse(ConstraintViolation.isFeasible(new double[] {Double.NaN}));
  }

  @Test
  void totalViolationSumsOnlyThePositiveParts() {
    assertEquals(2.5, ConstraintViolation.total(new double[] {-1.0, 2.0, 0.5}), 0.0);
    assertEquals(0.0, ConstraintViolation.total(new double[] {0.0, -3.0}), 0.0);
    assertEquals(
        Double.POSITIVE_INFINITY, ConstraintViolation.total(new double[] {-1, Double.NaN}), 0.0);
    assertArrayEquals(
        new double[] {1.0, 0.0},
        ConstraintViolation.totals(new double[][] {{1.0, -2.0}, {-1.0}}),
        0.0);
  }

  @Test
  void nullRowsAreRejectedWithTheirIndex() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConstraintViolation.totals(new double[][] {{1.0}, null}));
    assertTrue(error.getMessage().contains("constraintValues[1]"), error.getMessage());
  }
}
