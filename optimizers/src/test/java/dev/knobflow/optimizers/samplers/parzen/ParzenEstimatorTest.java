package dev.knobflow.optimizers.samplers.parzen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {

  private static final List<ParzenDimension> ONE_CONTINUOUS = List.of(ParzenDimension.continuous());

  @Test
  void continuousDensityIntegratesToOneOverTheUnitInterval() {
    ParzenEstimator pe =
        ParzenEstimator.fit(
            ONE_CONTINUOUS,
            new double[][] {{0.02}, {0.3}, {0.31}, {0.9}},
            new double[] {1, 1, 1, 1},
            ParzenSettings.defaults());
    int steps = 20000;
    double integral = 0;
    for (int i = 0; i < steps; i++) {
      integral += Math.exp(pe.logPdf(new double[] {(i + 0.5) / steps})) / steps;
    }
    assertEquals(1.0, integral, 1e-3);
  }

  @Test
  void discreteCellProbabilitiesSumToOne() {
    List<ParzenDimension> dims = List.of(ParzenDimension.discrete(7));
    ParzenEstimator pe =
        ParzenEstimator.fit(
            dims,
            new double[][] {{0.5 / 7}, {3.5 / 7}},
            new double[] {1, 1},
            ParzenSettings.defaults());
    double total = 0;
    for (int k = 0; k < 7; k++) {
      total += Math.exp(pe.logPdf(new double[] {(k + 0.5) / 7}));
    }
    assertEquals(1.0, total, 1e-9);
  }

  @Test
  void categoricalKernelFavoursObservedChoiceAndSumsToOne() {
    List<ParzenDimension> dims = List.of(ParzenDimension.categorical(4));
    ParzenEstimator pe =
        ParzenEstimator.fit(
            dims,
            new double[][] {{2}, {2}, {1}},
            new double[] {1, 1, 1},
            ParzenSettings.defaults());
    double total = 0;
    double[] p = new double[4];
    for (int c = 0; c < 4; c++) {
      p[c] = Math.exp(pe.logPdf(new double[] {c}));
      total += p[c];
    }
    assertEquals(1.0, total, 1e-9);
    assertTrue(
        p[2] > p[1] && p[1] > p[0],
        "observed twice > once > never: " + java.util.Arrays.toString(p));
    assertEquals(p[0], p[3], 1e-12);
  }

  @Test
  void samplesStayInBoundsAndOnTheGrid() {
    List<ParzenDimension> dims =
        List.of(
            ParzenDimension.continuous(),
            ParzenDimension.discrete(5),
            ParzenDimension.categorical(3));
    ParzenEstimator pe =
        ParzenEstimator.fit(
            dims,
            new double[][] {{0.0, 0.1, 0}, {1.0, 0.9, 2}},
            new double[] {1, 1},
            ParzenSettings.defaults());
    for (double[] s : pe.sample(new SplittableRandom(7), 2000)) {
      assertTrue(s[0] >= 0 && s[0] <= 1, "continuous in [0,1]: " + s[0]);
      double cell = s[1] * 5 - 0.5;
      assertEquals(Math.rint(cell), cell, 1e-9, "discrete value at a cell centre");
      assertTrue(s[2] == 0 || s[2] == 1 || s[2] == 2);
    }
  }

  @Test
  void samplesConcentrateNearObservationsInLogSpace() {
    // log-uniform 1e-5..1: an observation at 1e-4 must pull samples to small values in value space
    FloatDistribution lr = FloatDistribution.logOf(1e-5, 1);
    double u = UnitEncoding.encode(lr, 1e-4);
    double[][] obs = new double[20][];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = new double[] {u};
    }
    double[] w = new double[20];
    java.util.Arrays.fill(w, 1.0);
    ParzenEstimator pe = ParzenEstimator.fit(ONE_CONTINUOUS, obs, w, ParzenSettings.defaults());
    int small = 0;
    double[][] samples = pe.sample(new SplittableRandom(3), 1000);
    for (double[] s : samples) {
      double v = (double) UnitEncoding.decode(lr, s[0]);
      assertTrue(lr.contains(v));
      if (v < 1e-3) {
        small++;
      }
    }
    // Uniform in value space would put ~0.1% below 1e-3; the prior alone about 40% (log space).
    assertTrue(small > 800, "most samples near 1e-4, got " + small + "/1000");
  }

  @Test
  void optunaBandwidthRuleUsesInnerNeighbourAtTheEndsAndMagicClip() {
    double[] s = ParzenEstimator.neighbourBandwidths(new double[] {0.5, 0.1, 0.2}, false);
    assertEquals(0.1, s[1], 1e-12); // extreme: inner neighbour only (0.2 - 0.1)
    assertEquals(0.3, s[2], 1e-12); // max(0.2-0.1, 0.5-0.2)
    assertEquals(0.3, s[0], 1e-12); // extreme: 0.5 - 0.2
    double[] withEnds = ParzenEstimator.neighbourBandwidths(new double[] {0.5, 0.1, 0.2}, true);
    assertEquals(0.5, withEnds[0], 1e-12); // reaches 1.0
    ParzenEstimator pe =
        ParzenEstimator.fit(
            ONE_CONTINUOUS,
            new double[][] {{0.5}, {0.5}},
            new double[] {1, 1},
            ParzenSettings.defaults());
    assertEquals(1.0 / 4, pe.bandwidth(0, 0), 1e-12, "clipped to 1/min(100, 1 + 3 kernels)");
  }

  @Test
  void intDimensionOfALogIntIsContinuousAndOfAPlainIntIsDiscrete() {
    assertTrue(ParzenDimension.of(IntDistribution.of(1, 10)).isDiscrete());
    assertTrue(!ParzenDimension.of(IntDistribution.logOf(1, 1000)).isDiscrete());
  }

  @Test
  void logMassIsAccurateFarInTheTail() {
    double exact = Math.log(NormalMath.cdf(-8) - NormalMath.cdf(-8.5));
    assertEquals(exact, NormalMath.logMass(-8.5, -8), 1e-9);
    assertTrue(Double.isFinite(NormalMath.logMass(-60, -59.9)));
    assertEquals(NormalMath.logMass(-60, -59.9), NormalMath.logMass(59.9, 60), 1e-12);
  }

  @Test
  void batchedAndSinglePointLogPdfMatchTheMixtureFormulaBitForBit() {
    List<ParzenDimension> dims =
        List.of(
            ParzenDimension.continuous(),
            ParzenDimension.discrete(10),
            ParzenDimension.categorical(3),
            ParzenDimension.discrete(4));
    SplittableRandom random = new SplittableRandom(7);
    List<ParzenEstimator.Kernel> kernels = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // Repeated discrete centres and bandwidths, as TPE's kernels on an int parameter have.
      double cell = (random.nextInt(10) + 0.5) / 10;
      double cellSigma = random.nextBoolean() ? 0.01 : 0.05 + random.nextInt(3) * 0.1;
      double[] p = {random.nextDouble() + 0.01, random.nextDouble() + 0.01, 0.02};
      double sum = p[0] + p[1] + p[2];
      for (int c = 0; c < 3; c++) {
        p[c] /= sum;
      }
      kernels.add(
          new ParzenEstimator.Kernel(
              0.1 + random.nextDouble(),
              new double[] {random.nextDouble(), cell, 0, (random.nextInt(4) + 0.5) / 4},
              new double[] {0.001 + random.nextDouble() * 0.3, cellSigma, 1, 0.02},
              new double[][] {null, null, p, null}));
    }
    ParzenEstimator pe = ParzenEstimator.of(dims, kernels);
    double[][] points = pe.sample(new SplittableRandom(11), 40);
    points[0] = new double[] {0.0, 0.05, 2, 0.125};
    points[1] = new double[] {1.0, 0.95, 0, 0.875};
    double[] batched = pe.logPdf(points);
    for (int p = 0; p < points.length; p++) {
      double expected = referenceLogPdf(dims, kernels, points[p]);
      assertEquals(
          Double.doubleToLongBits(expected),
          Double.doubleToLongBits(pe.logPdf(points[p])),
          "p" + p);
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(batched[p]), "b" + p);
    }
  }

  /** The mixture's log density written out from its kernels, as the estimator computed it. */
  private static double referenceLogPdf(
      List<ParzenDimension> dims, List<ParzenEstimator.Kernel> kernels, double[] x) {
    double total = 0;
    for (ParzenEstimator.Kernel k : kernels) {
      total += k.weight();
    }
    double[] terms = new double[kernels.size()];
    for (int i = 0; i < terms.length; i++) {
      ParzenEstimator.Kernel k = kernels.get(i);
      double lp = Math.log(k.weight() / total);
      for (int j = 0; j < dims.size() && lp > Double.NEGATIVE_INFINITY; j++) {
        ParzenDimension dim = dims.get(j);
        if (dim.categorical()) {
          int c = (int) Math.round(x[j]);
          lp += Math.log(c >= 0 && c < dim.cells() ? k.choiceProbabilities()[j][c] : 0.0);
          continue;
        }
        double m = k.mu()[j];
        double s = k.sigma()[j];
        double normaliser = NormalMath.logMass(-m / s, (1 - m) / s);
        if (dim.isDiscrete()) {
          double h = dim.halfCell();
          lp += NormalMath.logMass((x[j] - h - m) / s, (x[j] + h - m) / s) - normaliser;
        } else if (x[j] < 0 || x[j] > 1) {
          lp += Double.NEGATIVE_INFINITY;
        } else {
          lp += NormalMath.logPdf((x[j] - m) / s) - Math.log(s) - normaliser;
        }
      }
      terms[i] = lp;
    }
    return NormalMath.logSumExp(terms, 0, terms.length);
  }
}
