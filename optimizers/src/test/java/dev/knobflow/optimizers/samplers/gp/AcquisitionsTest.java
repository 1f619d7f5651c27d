package dev.knobflow.optimizers.samplers.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.pareto.Hypervolume;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AcquisitionsTest {

  @Test
  void expectedImprovementHasKnownValues() {
    // At the incumbent with sd 1: EI = phi(0) = 0.398942...
    assertEquals(0.3989422804, Acquisitions.expectedImprovement(0, 1, 0), 1e-9);
    // mean 1, sd 2, best 0: z = -0.5, EI = 2 (-0.5 * 0.3085375 + 0.3520653) = 0.3955931
    assertEquals(0.3955931, Acquisitions.expectedImprovement(1, 2, 0), 1e-6);
    // Far below the incumbent EI tends to best - mean.
    assertEquals(10.0, Acquisitions.expectedImprovement(-10, 0.01, 0), 1e-9);
  }

  @Test
  void logExpectedImprovementStaysFiniteAndMonotoneFarInTheTail() {
    double previous = Double.POSITIVE_INFINITY;
    for (double z = -4; z >= -60; z -= 0.5) {
      double v = Acquisitions.logH(z);
      assertTrue(Double.isFinite(v), "log h(" + z + ") finite");
      assertTrue(v < previous, "decreasing at " + z);
      previous = v;
    }
    // Continuity across the branch points.
    assertEquals(Acquisitions.logH(-4.999999), Acquisitions.logH(-5.000001), 1e-4);
    assertEquals(Acquisitions.logH(-11.999999), Acquisitions.logH(-12.000001), 1e-4);
  }

  @Test
  void probabilityOfImprovementAndUcbHaveKnownValues() {
    // The normal CDF behind them has a relative error below 1.2e-7 (FastNormal).
    assertEquals(Math.log(0.5), Acquisitions.logProbabilityOfImprovement(3, 2, 3), 2e-7);
    assertEquals(Math.log(0.8413447461), Acquisitions.logProbabilityOfImprovement(0, 1, 1), 2e-7);
    assertEquals(2 * 0.5 - 1.0, Acquisitions.upperConfidenceBound(1.0, 0.5, 2), 1e-12);
  }

  @Test
  void boxDecompositionGivesExactHypervolumeImprovementIn2dAnd3d() {
    SplittableRandom r = new SplittableRandom(1);
    for (int m = 2; m <= 3; m++) {
      List<double[]> front = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        double[] p = new double[m];
        for (int j = 0; j < m; j++) {
          p[j] = r.nextDouble();
        }
        front.add(p);
      }
      double[] ref = new double[m];
      java.util.Arrays.fill(ref, 1.2);
      double[][] f = front.toArray(new double[0][]);
      HypervolumeBoxes boxes = HypervolumeBoxes.of(f, ref);
      double base = Hypervolume.compute(f, ref);
      for (int k = 0; k < 50; k++) {
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
          y[j] = r.nextDouble() * 1.3 - 0.1;
        }
        double[][] with = new double[f.length + 1][];
        System.arraycopy(f, 0, with, 0, f.length);
        with[f.length] = y;
        double expected = Hypervolume.compute(with, ref) - base;
        assertEquals(expected, boxes.improvement(y), 1e-9, m + "-d improvement of a point");
      }
    }
  }

  @Test
  void threeObjectiveDecompositionHasTwoBoxesPerFrontPointAndStaysExact() {
    // 80 mutually non-dominated points on the unit sphere (DTLZ2's front): a staircase per slab
    // would give thousands of boxes; continuing unchanged columns gives at most 2k + 1.
    SplittableRandom r = new SplittableRandom(4);
    int k = 80;
    double[][] front = new double[k][3];
    for (double[] p : front) {
      double norm = 0;
      for (int j = 0; j < 3; j++) {
        p[j] = Math.abs(gaussian(r));
        norm += p[j] * p[j];
      }
      for (int j = 0; j < 3; j++) {
        p[j] /= Math.sqrt(norm);
      }
    }
    double[] ref = {1.1, 1.1, 1.1};
    HypervolumeBoxes boxes = HypervolumeBoxes.of(front, ref);
    assertTrue(boxes.size() <= 2 * k + 1, "boxes: " + boxes.size());
    double base = Hypervolume.compute(front, ref);
    for (int t = 0; t < 100; t++) {
      double[] y = {1.2 * r.nextDouble(), 1.2 * r.nextDouble(), 1.2 * r.nextDouble()};
      double[][] with = java.util.Arrays.copyOf(front, k + 1);
      with[k] = y;
      assertEquals(Hypervolume.compute(with, ref) - base, boxes.improvement(y), 1e-9);
    }
  }

  @Test
  void expectedHypervolumeImprovementIsPositiveOnlyWhereImprovementIsPossible() {
    double[][] front = {{0, 1}, {0.5, 0.5}, {1, 0}};
    HypervolumeBoxes boxes = HypervolumeBoxes.of(front, new double[] {2, 2});
    double tiny = 1e-9;
    // Certain (almost deterministic) predictions: EHVI = the exact improvement.
    double dominated =
        boxes.logExpectedImprovement(new double[] {1.5, 1.5}, new double[] {tiny, tiny});
    assertTrue(
        Math.exp(dominated) < 1e-12, "dominated point: no improvement, got " + Math.exp(dominated));
    double improving =
        boxes.logExpectedImprovement(new double[] {0.2, 0.2}, new double[] {tiny, tiny});
    assertEquals(boxes.improvement(new double[] {0.2, 0.2}), Math.exp(improving), 1e-6);
    // Uncertainty gives a dominated mean a positive chance, and more uncertainty more of it.
    double someSd = boxes.logExpectedImprovement(new double[] {1.5, 1.5}, new double[] {0.5, 0.5});
    double moreSd = boxes.logExpectedImprovement(new double[] {1.5, 1.5}, new double[] {1.0, 1.0});
    assertTrue(Double.isFinite(someSd) && moreSd > someSd);
    // Monte-Carlo check of the closed form.
    SplittableRandom r = new SplittableRandom(2);
    double[] mu = {0.6, 0.7};
    double[] sd = {0.3, 0.2};
    double sum = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double[] y = {mu[0] + sd[0] * gaussian(r), mu[1] + sd[1] * gaussian(r)};
      sum += boxes.improvement(y);
    }
    assertEquals(sum / n, Math.exp(boxes.logExpectedImprovement(mu, sd)), 2e-3);
  }

  @Test
  void expectedHypervolumeImprovementGradientMatchesFiniteDifferencesIn2dAnd3d() {
    SplittableRandom r = new SplittableRandom(3);
    for (int m = 2; m <= 3; m++) {
      double[][] front = new double[15][m];
      for (double[] p : front) {
        for (int j = 0; j < m; j++) {
          p[j] = r.nextDouble();
        }
      }
      double[] ref = new double[m];
      java.util.Arrays.fill(ref, 1.1);
      HypervolumeBoxes boxes = HypervolumeBoxes.of(front, ref);
      // Means inside, below and far beyond the front; small and large deviations.
      for (int k = 0; k < 40; k++) {
        double[] mu = new double[m];
        double[] sd = new double[m];
        for (int j = 0; j < m; j++) {
          mu[j] = -1 + 4 * r.nextDouble();
          sd[j] = Math.exp(-5 + 6 * r.nextDouble());
        }
        double[] dMu = new double[m];
        double[] dSd = new double[m];
        double value = boxes.logExpectedImprovement(mu, sd, dMu, dSd);
        assertEquals(boxes.logExpectedImprovement(mu, sd), value, 1e-12);
        for (int j = 0; j < m; j++) {
          double h = 1e-6 * sd[j];
          double[] up = mu.clone();
          double[] down = mu.clone();
          up[j] += h;
          down[j] -= h;
          double numeric =
              (boxes.logExpectedImprovement(up, sd) - boxes.logExpectedImprovement(down, sd))
                  / (2 * h);
          assertEquals(numeric, dMu[j], 1e-4 * (1 + Math.abs(numeric)), "d/d mean " + j);
          up = sd.clone();
          down = sd.clone();
          up[j] += h;
          down[j] -= h;
          numeric =
              (boxes.logExpectedImprovement(mu, up) - boxes.logExpectedImprovement(mu, down))
                  / (2 * h);
          assertEquals(numeric, dSd[j], 1e-4 * (1 + Math.abs(numeric)), "d/d sd " + j);
        }
      }
    }
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
