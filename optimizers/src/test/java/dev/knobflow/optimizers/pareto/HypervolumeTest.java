package dev.knobflow.optimizers.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

  private static final double[] REF_2D = {1.1, 1.1};
  private static final double[] REF_3D = {1.1, 1.1, 1.1};

  /** Exact: integral of (1.1 - f2(x)) over [0, 1] plus the strip x in [1, 1.1] of height 1.1. */
  private static final double ZDT1_EXACT = 0.1 + 2.0 / 3.0 + 0.11;

  private static final double ZDT2_EXACT = 0.1 + 1.0 / 3.0 + 0.11;

  /** Exact: the reference cube minus the unit-sphere octant. */
  private static final double DTLZ2_EXACT = 1.331 - Math.PI / 6.0;

  @Test
  void denseZdt1FrontHasTheKnownHypervolume() {
    assertBracketsAndApproximates(x -> 1.0 - Math.sqrt(x), ZDT1_EXACT);
  }

  @Test
  void denseZdt2FrontHasTheKnownHypervolume() {
    assertBracketsAndApproximates(x -> 1.0 - x * x, ZDT2_EXACT);
  }

  /**
   * 10,001 samples of a decreasing front f2 = g(f1) on [0, 1] give a lower bound; the corner points
   * (x_i, g(x_{i+1})) dominate the whole curve and give an upper bound. The exact value must lie
   * between them and the samples must be within 1e-4 of it (the gap is about 1 / (2 N)).
   */
  private static void assertBracketsAndApproximates(DoubleUnaryOperator g, double exact) {
    int n = 10_001;
    double[][] samples = new double[n][];
    double[][] corners = new double[n - 1][];
    for (int i = 0; i < n; i++) {
      double x = i / (double) (n - 1);
      samples[i] = new double[] {x, g.applyAsDouble(x)};
      if (i > 0) {
        corners[i - 1] = new double[] {samples[i - 1][0], samples[i][1]};
      }
    }
    double lower = Hypervolume.compute(samples, REF_2D);
    double upper = Hypervolume.compute(corners, REF_2D);
    assertTrue(lower <= exact && exact <= upper, lower + " <= " + exact + " <= " + upper);
    assertEquals(exact, lower, 1e-4);
    assertEquals(exact, upper, 1e-4);
  }

  /**
   * DTLZ2's front is the unit-sphere octant. A 200 x 200 grid in the two angles gives 40,401
   * surface points (a lower bound) and, per grid cell, the componentwise minimum of the cell's
   * corners, which dominates the whole patch (an upper bound). The exact value must lie between
   * them, and both bounds must be within 4e-3 of it: each is off by about 3.4e-3 at this density
   * (the gap shrinks like 1 / k).
   */
  @Test
  void denseDtlz2FrontHasTheKnownHypervolume() {
    int k = 200;
    double step = Math.PI / 2 / k;
    double[][] samples = new double[(k + 1) * (k + 1)][];
    double[][] corners = new double[k * k][];
    int s = 0;
    int c = 0;
    for (int a = 0; a <= k; a++) {
      double theta = a * step;
      for (int b = 0; b <= k; b++) {
        double phi = b * step;
        samples[s++] =
            new double[] {
              Math.cos(theta) * Math.cos(phi), Math.cos(theta) * Math.sin(phi), Math.sin(theta)
            };
        if (a < k && b < k) {
          double thetaNext = theta + step;
          double phiNext = phi + step;
          corners[c++] =
              new double[] {
                Math.cos(thetaNext) * Math.cos(phiNext),
                Math.cos(thetaNext) * Math.sin(phi),
                Math.sin(theta)
              };
        }
      }
    }
    double lower = Hypervolume.compute(samples, REF_3D);
    double upper = Hypervolume.compute(corners, REF_3D);
    assertTrue(
        lower <= DTLZ2_EXACT && DTLZ2_EXACT <= upper,
        lower + " <= " + DTLZ2_EXACT + " <= " + upper);
    assertEquals(DTLZ2_EXACT, lower, 4e-3);
    assertEquals(DTLZ2_EXACT, upper, 4e-3);
  }

  @Test
  void randomSetsMatchTheGridDecompositionInTwoToFiveObjectives() {
    Random random = new Random(42L);
    int[] sizes = {0, 1, 80, 30, 14, 9};
    for (int m = 1; m <= 5; m++) {
      double[] reference = new double[m];
      java.util.Arrays.fill(reference, 0.95); // some points fall outside
      for (int repeat = 0; repeat < 6; repeat++) {
        double[][] points = BruteForce.uniform(random, Math.max(sizes[m], 40 / m), m);
        assertEquals(
            BruteForce.hypervolume(points, reference),
            Hypervolume.compute(points, reference),
            1e-12,
            "m=" + m + " repeat=" + repeat);
      }
    }
  }

  @Test
  void setsWithTiesDuplicatesAndDominatedPointsMatchTheGridDecomposition() {
    Random random = new Random(5L);
    int[] sizes = {0, 20, 80, 40, 20, 12};
    for (int m = 1; m <= 5; m++) {
      double[] reference = new double[m];
      java.util.Arrays.fill(reference, 4.0); // coordinate 4 is on the reference: ignored
      for (int repeat = 0; repeat < 4; repeat++) {
        double[][] points = BruteForce.integerGrid(random, sizes[m], m, 5);
        assertEquals(
            BruteForce.hypervolume(points, reference),
            Hypervolume.compute(points, reference),
            1e-9,
            "m=" + m + " repeat=" + repeat);
      }
    }
  }

  @Test
  void nonDominatedSetsOnTheSphereMatchTheGridDecomposition() {
    Random random = new Random(11L);
    int[] sizes = {0, 0, 60, 25, 12, 8};
    for (int m = 2; m <= 5; m++) {
      double[] reference = new double[m];
      java.util.Arrays.fill(reference, 1.2);
      double[][] points = BruteForce.sphere(random, sizes[m], m);
      assertEquals(
          BruteForce.hypervolume(points, reference),
          Hypervolume.compute(points, reference),
          1e-12,
          "m=" + m);
    }
  }

  /**
   * An extra objective that every point has at 0, with reference 1, leaves the volume unchanged:
   * checks the sweeps and WFG against each other on sets too large for the grid decomposition.
   */
  @Test
  void paddingWithAConstantObjectiveLeavesLargeSetVolumesUnchanged() {
    Random random = new Random(17L);
    double[][] twoD = BruteForce.sphere(random, 1000, 2);
    assertEquals(
        Hypervolume.compute(twoD, REF_2D),
        Hypervolume.compute(padded(twoD), new double[] {1.1, 1.1, 1.0}),
        1e-12);
    double[][] threeD = BruteForce.sphere(random, 300, 3);
    double[][] mixed = BruteForce.uniform(random, 300, 3);
    for (double[][] points : new double[][][] {threeD, mixed}) {
      double expected = Hypervolume.compute(points, REF_3D);
      assertEquals(
          expected, Hypervolume.compute(padded(points), new double[] {1.1, 1.1, 1.1, 1.0}), 1e-12);
      assertEquals(
          expected,
          Hypervolume.compute(padded(padded(points)), new double[] {1.1, 1.1, 1.1, 1.0, 1.0}),
          1e-12);
    }
  }

  @Test
  void volumeIgnoresOrderAndScalesWithEachObjective() {
    Random random = new Random(23L);
    double[][] points = BruteForce.sphere(random, 200, 4);
    double[] reference = {1.1, 1.1, 1.1, 1.1};
    double volume = Hypervolume.compute(points, reference);
    double[][] reversed = new double[points.length][];
    double[][] scaled = new double[points.length][];
    for (int i = 0; i < points.length; i++) {
      reversed[i] = points[points.length - 1 - i];
      double[] p = points[i];
      scaled[i] = new double[] {2 * p[0], p[1], 3 * p[2], p[3]};
    }
    assertEquals(volume, Hypervolume.compute(reversed, reference), 1e-12);
    assertEquals(6 * volume, Hypervolume.compute(scaled, new double[] {2.2, 1.1, 3.3, 1.1}), 1e-11);
  }

  @Test
  void pointsNotStrictlyBetterThanTheReferenceContributeNothing() {
    double[][] points = {
      {0.5, 0.5}, {1.0, 0.0}, {0.0, 1.2}, {Double.NaN, 0.1}, {0.2, Double.POSITIVE_INFINITY}
    };
    assertEquals(0.25, Hypervolume.compute(points, new double[] {1.0, 1.0}), 0.0);
    assertEquals(0.0, Hypervolume.compute(new double[0][], new double[] {1, 1}), 0.0);
    assertEquals(0.0, Hypervolume.compute(new double[][] {{2, 2, 2}}, REF_3D), 0.0);
  }

  @Test
  void contributionOfADominatingPointExcludesWhatItsDominatedPointStillCovers() {
    double[][] points = {{0.0, 0.0}, {0.5, 0.5}};
    assertArrayEquals(
        new double[] {0.75, 0.0}, Hypervolume.contributions(points, new double[] {1, 1}), 1e-15);
    double[][] duplicates = {{0.2, 0.3, 0.4}, {0.2, 0.3, 0.4}, {0.5, 0.1, 0.9}};
    double[] contributions = Hypervolume.contributions(duplicates, new double[] {1, 1, 1});
    assertEquals(0.0, contributions[0], 0.0);
    assertEquals(0.0, contributions[1], 0.0);
    assertTrue(contributions[2] > 0.0);
  }

  @Test
  void removingAPointLosesExactlyItsContribution() {
    Random random = new Random(31L);
    for (int m = 1; m <= 5; m++) {
      double[] unitReference = new double[m];
      java.util.Arrays.fill(unitReference, 0.9);
      double[] gridReference = new double[m];
      java.util.Arrays.fill(gridReference, 3.5);
      int n = m <= 3 ? 60 : 30;
      double[][][] sets = {
        BruteForce.uniform(random, n, m),
        BruteForce.integerGrid(random, n, m, 4),
        m >= 2 ? BruteForce.sphere(random, n, m) : BruteForce.uniform(random, n, m)
      };
      double[][] references = {unitReference, gridReference, unitReference};
      for (int set = 0; set < sets.length; set++) {
        double[][] points = sets[set];
        double[] reference = set == 2 ? filled(m, 1.1) : references[set];
        double total = Hypervolume.compute(points, reference);
        double[] contributions = Hypervolume.contributions(points, reference);
        for (int i = 0; i < points.length; i++) {
          double lost = total - Hypervolume.compute(BruteForce.without(points, i), reference);
          assertEquals(
              lost, contributions[i], 1e-12 * Math.max(1.0, total), "m=" + m + " set=" + set);
        }
      }
    }
  }

  @Test
  void inputsAreLeftUnchanged() {
    double[][] points = BruteForce.uniform(new Random(2L), 50, 4);
    double[][] copy = BruteForce.deepCopy(points);
    Hypervolume.compute(points, filled(4, 1.0));
    Hypervolume.contributions(points, filled(4, 1.0));
    assertTrue(java.util.Arrays.deepEquals(copy, points));
  }

  @Test
  void badInputIsRejectedWithTheArgumentNamed() {
    IllegalArgumentException infiniteReference =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Hypervolume.compute(
                    new double[][] {{0, 0}}, new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(infiniteReference.getMessage().contains("reference[1]"));
    IllegalArgumentException unbounded =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Hypervolume.compute(
                    new double[][] {{0, 0}, {Double.NEGATIVE_INFINITY, 0}}, new double[] {1, 1}));
    assertTrue(unbounded.getMessage().contains("points[1][0]"));
    IllegalArgumentException mismatch =
        assertThrows(
            IllegalArgumentException.class,
            () -> Hypervolume.contributions(new double[][] {{0, 0}}, new double[] {1, 1, 1}));
    assertTrue(mismatch.getMessage().contains("reference"));
  }

  private static double[] filled(int m, double value) {
    double[] result = new double[m];
    java.util.Arrays.fill(result, value);
    return result;
  }

  private static double[][] padded(double[][] points) {
    double[][] result = new double[points.length][];
    for (int i = 0; i < points.length; i++) {
      result[i] = java.util.Arrays.copyOf(points[i], points[i].length + 1);
    }
    return result;
  }
}
