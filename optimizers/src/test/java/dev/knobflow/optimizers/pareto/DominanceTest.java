package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DominanceTest {

  @Test
  void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
    assertTrue(Dominance.dominates(new double[] {1, 2}, new double[] {1, 3}));
    assertFalse(Dominance.dominates(new double[] {1, 3}, new double[] {1, 2}));
    assertFalse(Dominance.dominates(new double[] {1, 2}, new double[] {1, 2}));
    assertFalse(Dominance.dominates(new double[] {0, 3}, new double[] {1, 2}));
    assertTrue(Dominance.dominates(new double[] {1, 2}, new double[] {1, Double.NaN}));
    assertFalse(Dominance.dominates(new double[] {-0.0}, new double[] {0.0}));
  }

  @Test
  void constraintDominationPrefersSmallerViolationThenParetoDominance() {
    double[] good = {0, 0};
    double[] bad = {9, 9};
    assertTrue(Dominance.constrainedDominates(bad, 0.0, good, 0.1));
    assertFalse(Dominance.constrainedDominates(good, 0.1, bad, 0.0));
    assertTrue(Dominance.constrainedDominates(bad, 0.1, good, 0.2));
    // Equal violation: the objectives decide, as between two feasible points.
    assertTrue(Dominance.constrainedDominates(good, 0.2, bad, 0.2));
    assertFalse(Dominance.constrainedDominates(bad, 0.2, good, 0.2));
    assertFalse(Dominance.constrainedDominates(new double[] {0, 10}, 0.2, bad, 0.2));
    assertFalse(Dominance.constrainedDominates(new double[] {0, 9}, 0.2, new double[] {9, 0}, 0.2));
    assertTrue(Dominance.constrainedDominates(good, 0.0, bad, 0.0));
    assertTrue(Dominance.constrainedDominates(good, 5.0, bad, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> Dominance.constrainedDominates(good, -1, bad, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dominance.dominates(new double[] {1}, new double[] {1, 2}));
  }
}
