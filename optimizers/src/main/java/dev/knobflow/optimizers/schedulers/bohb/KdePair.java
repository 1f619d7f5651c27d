package dev.knobflow.optimizers.schedulers.bohb;

import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import dev.knobflow.optimizers.samplers.parzen.ParzenEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * BOHB's model for one budget: a KDE over the good observations and one over the bad ones, with one
 * bandwidth per coordinate for all kernels (the normal-reference rule {@code 1.06 * std * n^(-1 /
 * (d + 4))}, at least {@code minBandwidth}), built on the shared {@link ParzenEstimator}. A
 * categorical coordinate uses the Aitchison-Aitken kernel: the observed choice keeps probability
 * {@code 1 - bw}, the others share {@code bw}.
 */
final class KdePair {

  private static final double LOG_FLOOR = Math.log(1e-32);

  private final ParzenEstimator good;
  private final ParzenEstimator bad;
  private final ParzenEstimator widenedGood;

  private KdePair(ParzenEstimator good, ParzenEstimator bad, ParzenEstimator widenedGood) {
    this.good = good;
    this.bad = bad;
    this.widenedGood = widenedGood;
  }

  static KdePair fit(
      List<ParzenDimension> dims,
      double[][] goodPoints,
      double[][] badPoints,
      double bandwidthFactor,
      double minBandwidth) {
    double[] goodBw = bandwidths(dims, goodPoints, minBandwidth);
    double[] badBw = bandwidths(dims, badPoints, minBandwidth);
    double[] widened = new double[goodBw.length];
    for (int j = 0; j < widened.length; j++) {
      widened[j] = Math.max(minBandwidth, goodBw[j] * bandwidthFactor);
    }
    return new KdePair(
        estimator(dims, goodPoints, goodBw),
        estimator(dims, badPoints, badBw),
        estimator(dims, goodPoints, widened));
  }

  /** The candidate with the largest good/bad density ratio among {@code count} draws. */
  double[] propose(SplittableRandom random, int count) {
    double[][] candidates = widenedGood.sample(random, count);
    double[] best = candidates[0];
    double bestScore = Double.NEGATIVE_INFINITY;
    for (double[] x : candidates) {
      double score = good.logPdf(x) - Math.max(LOG_FLOOR, bad.logPdf(x));
      if (score > bestScore || Double.isNaN(bestScore)) {
        bestScore = score;
        best = x;
      }
    }
    return best;
  }

  static double[] bandwidths(List<ParzenDimension> dims, double[][] points, double minBandwidth) {
    int n = points.length;
    int d = dims.size();
    double[] bw = new double[d];
    double factor = 1.06 * Math.pow(n, -1.0 / (d + 4));
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (double[] p : points) {
        mean += p[j];
      }
      mean /= n;
      double ss = 0;
      for (double[] p : points) {
        ss += (p[j] - mean) * (p[j] - mean);
      }
      double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
      double upper = dims.get(j).categorical() ? 1.0 : Double.POSITIVE_INFINITY;
      bw[j] = Math.min(upper, Math.max(minBandwidth, factor * std));
    }
    return bw;
  }

  private static ParzenEstimator estimator(
      List<ParzenDimension> dims, double[][] points, double[] bw) {
    int d = dims.size();
    List<ParzenEstimator.Kernel> kernels = new ArrayList<>(points.length);
    for (double[] p : points) {
      double[] mu = new double[d];
      double[] sigma = new double[d];
      double[][] probabilities = new double[d][];
      for (int j = 0; j < d; j++) {
        ParzenDimension dim = dims.get(j);
        if (dim.categorical()) {
          probabilities[j] = aitchisonAitken(dim.cells(), (int) Math.round(p[j]), bw[j]);
          sigma[j] = 1;
        } else {
          mu[j] = p[j];
          sigma[j] = bw[j];
        }
      }
      kernels.add(new ParzenEstimator.Kernel(1.0, mu, sigma, probabilities));
    }
    return ParzenEstimator.of(dims, kernels);
  }

  static double[] aitchisonAitken(int choices, int observed, double bw) {
    double[] p = new double[choices];
    if (choices == 1) {
      p[0] = 1;
      return p;
    }
    double lambda = Math.min(bw, (choices - 1.0) / choices);
    Arrays.fill(p, lambda / (choices - 1));
    p[Math.min(choices - 1, Math.max(0, observed))] = 1 - lambda;
    return p;
  }
}
