package dev.knobflow.optimizers.samplers.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  private static double[][] points(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextDouble();
      }
    }
    return x;
  }

  private static double f(double[] x) {
    return Math.sin(6 * x[0]) + x[1] * x[1];
  }

  @Test
  void posteriorInterpolatesTrainingPoints() {
    double[][] x = points(25, 2, 1);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]);
    }
    double[] theta = {Math.log(0.3), Math.log(0.5), 0.0, Math.log(1e-6)};
    GaussianProcess gp = GaussianProcess.withTheta(x, y, theta);
    double[] mean = new double[x.length];
    double[] var = new double[x.length];
    gp.predict(x, mean, var);
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], mean[i], 1e-3, "mean at training point " + i);
      assertTrue(var[i] < 1e-4, "variance at training point " + i + ": " + var[i]);
    }
    double[] farMean = new double[1];
    double[] farVar = new double[1];
    gp.predict(new double[][] {{5, 5}}, farMean, farVar);
    assertEquals(1.0, farVar[0], 1e-6, "far away the prior variance returns");
  }

  @Test
  void fittedModelPredictsHeldOutPointsBetterThanTheMean() {
    double[][] x = points(40, 2, 2);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]);
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, List.of(GaussianProcess.defaultTheta(2)), 50);
    double[][] test = points(50, 2, 3);
    double[] mean = new double[test.length];
    double[] var = new double[test.length];
    gp.predict(test, mean, var);
    double se = 0;
    double seMean = 0;
    double avg = java.util.Arrays.stream(y).average().orElseThrow();
    for (int i = 0; i < test.length; i++) {
      se += Math.pow(mean[i] - f(test[i]), 2);
      seMean += Math.pow(avg - f(test[i]), 2);
    }
    assertTrue(se < 0.05 * seMean, "GP error " + se + " vs constant " + seMean);
    GaussianProcess fixed = GaussianProcess.withTheta(x, y, GaussianProcess.defaultTheta(2));
    assertTrue(
        gp.logMarginalLikelihood() >= fixed.logMarginalLikelihood() - 1,
        "fitting does not lower the likelihood");
  }

  @Test
  void choleskySurvivesDuplicateObservations() {
    double[][] x = {{0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.5, 0.9}, {0.5, 0.9}};
    double[] y = {1.0, 1.2, 0.8, -1.0, -1.0};
    GaussianProcess gp = GaussianProcess.fit(x, y, List.of(GaussianProcess.defaultTheta(2)), 30);
    double[] mean = new double[1];
    double[] var = new double[1];
    gp.predict(new double[][] {{0.1, 0.1}}, mean, var);
    assertTrue(Double.isFinite(mean[0]) && Double.isFinite(var[0]));
    assertEquals(1.0, mean[0], 0.2, "the mean of the repeated observations");
    double[] noNoise = {0, 0, 0, Math.log(1e-12)};
    GaussianProcess exact = GaussianProcess.withTheta(x, y, noNoise);
    exact.predict(new double[][] {{0.5, 0.9}}, mean, var);
    assertEquals(-1.0, mean[0], 1e-3, "jitter keeps the factorisation alive");
  }

  @Test
  void likelihoodGradientMatchesFiniteDifferences() {
    double[][] x = points(15, 3, 4);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]) + x[i][2];
    }
    double[] phi = {0.3, -0.2, 0.5, 0.1, -1.0};
    double[] g = new double[5];
    Lbfgs.Objective objective = GaussianProcess.likelihoodForTests(x, y);
    objective.evaluate(phi, g);
    for (int j = 0; j < 5; j++) {
      double h = 1e-5;
      double[] up = phi.clone();
      double[] down = phi.clone();
      up[j] += h;
      down[j] -= h;
      double numeric =
          (objective.evaluate(up, new double[5]) - objective.evaluate(down, new double[5]))
              / (2 * h);
      assertEquals(numeric, g[j], 1e-4 * Math.max(1, Math.abs(numeric)), "gradient " + j);
    }
  }

  @Test
  void predictionGradientsMatchFiniteDifferences() {
    double[][] x = points(30, 3, 7);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]) + x[i][2];
    }
    double[] theta = {Math.log(0.4), Math.log(0.7), Math.log(1.3), 0.2, Math.log(1e-4)};
    GaussianProcess gp = GaussianProcess.withTheta(x, y, theta);
    double[][] probes = points(5, 3, 8);
    for (double[] p : probes) {
      double[] dMean = new double[3];
      double[] dVar = new double[3];
      double[] mv = gp.predictWithGradient(p, dMean, dVar);
      double[] mean = new double[1];
      double[] var = new double[1];
      gp.predict(new double[][] {p}, mean, var);
      assertEquals(mean[0], mv[0], 1e-10);
      assertEquals(var[0], mv[1], 1e-10);
      for (int c = 0; c < 3; c++) {
        double h = 1e-6;
        double[] up = p.clone();
        double[] down = p.clone();
        up[c] += h;
        down[c] -= h;
        double[] mu = new double[2];
        double[] v = new double[2];
        gp.predict(new double[][] {up, down}, mu, v);
        assertEquals((mu[0] - mu[1]) / (2 * h), dMean[c], 1e-5, "d mean / d x" + c);
        assertEquals((v[0] - v[1]) / (2 * h), dVar[c], 1e-5, "d variance / d x" + c);
      }
    }
  }

  @Test
  void blockedBatchPredictionMatchesOnePointPredictionAcrossBlocks() {
    double[][] x = points(40, 3, 11);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]) - x[i][2];
    }
    double[] theta = {Math.log(0.3), Math.log(0.9), Math.log(2.0), -0.3, Math.log(1e-3)};
    GaussianProcess gp = GaussianProcess.withTheta(x, y, theta);
    double[][] probes = points(77, 3, 12); // several blocks and a partial one
    double[] mean = new double[probes.length];
    double[] var = new double[probes.length];
    gp.predict(probes, mean, var);
    for (int i = 0; i < probes.length; i++) {
      double[] mv = gp.predictWithGradient(probes[i], new double[3], new double[3]);
      assertEquals(mv[0], mean[i], 1e-10, "mean of probe " + i);
      assertEquals(mv[1], var[i], 1e-10, "variance of probe " + i);
    }
  }

  @Test
  void inverseFromTheCholeskyFactorMatchesTheKernelMatrixInverse() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 23;
    org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(n, n);
    for (int i = 0; i < n * n; i++) {
      a.data[i] = r.nextDouble() - 0.5;
    }
    org.ejml.data.DMatrixRMaj k = new org.ejml.data.DMatrixRMaj(n, n);
    org.ejml.dense.row.CommonOps_DDRM.multTransB(a, a, k);
    for (int i = 0; i < n; i++) {
      k.add(i, i, 0.1);
    }
    org.ejml.data.DMatrixRMaj lower = GaussianProcess.choleskyWithJitter(k, 1.0);
    org.ejml.data.DMatrixRMaj inv = GaussianProcess.inverseLowerPart(lower);
    org.ejml.data.DMatrixRMaj expected = k.copy();
    assertTrue(org.ejml.dense.row.CommonOps_DDRM.invert(expected));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(expected.get(i, j), inv.get(i, j), 1e-8 * (1 + Math.abs(expected.get(i, j))));
      }
    }
  }

  @Test
  void boxedLbfgsStopsAtTheActiveBoundAndFindsInteriorMinima() {
    // (x0 - 2)^2 + (x1 - 0.3)^2 on [0, 1]^2: x0 is held at its upper bound, x1 reaches 0.3.
    Lbfgs.Objective f =
        (x, g) -> {
          g[0] = 2 * (x[0] - 2);
          g[1] = 2 * (x[1] - 0.3);
          return (x[0] - 2) * (x[0] - 2) + (x[1] - 0.3) * (x[1] - 0.3);
        };
    double[] x = {0.1, 0.9};
    double value = Lbfgs.minimizeInBox(f, x, new double[] {0, 0}, new double[] {1, 1}, 50, 5);
    assertEquals(1.0, x[0], 1e-12);
    assertEquals(0.3, x[1], 1e-5);
    assertEquals(1.0, value, 1e-8);
  }
}
