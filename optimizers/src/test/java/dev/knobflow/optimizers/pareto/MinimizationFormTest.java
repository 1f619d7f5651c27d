package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MinimizationFormTest {

  @Test
  void maximisedObjectivesAreNegatedAndTheInputIsKept() {
    double[][] values = {{0.9, 12.0}, {0.8, 3.0}};
    double[][] minimised = MinimizationForm.of(values, new boolean[] {true, false});
    assertArrayEquals(new double[] {-0.9, 12.0}, minimised[0], 0.0);
    assertArrayEquals(new double[] {-0.8, 3.0}, minimised[1], 0.0);
    assertArrayEquals(new double[] {0.9, 12.0}, values[0], 0.0);
  }

  @Test
  void maximisingAccuracyAndMinimisingLatencyRanksTheExpectedPointFirst() {
    // accuracy (max), latency (min): the second point is better in both
    double[][] values = {{0.80, 20.0}, {0.85, 10.0}};
    double[][] minimised = MinimizationForm.of(values, new boolean[] {true, false});
    assertArrayEquals(new int[] {1, 0}, NonDominatedSorting.sort(minimised).ranks());
  }

  @Test
  void mismatchedLengthsAreRejected() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> MinimizationForm.of(new double[][] {{1, 2}}, new boolean[] {true}));
    assertTrue(error.getMessage().contains("values[0]"), error.getMessage());
  }
}
