package dev.knobflow.optimizers.schedulers.bohb;

import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import dev.knobflow.optimizers.samplers.parzen.ParzenEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * BOHB's model for one budget: a KDE over the good observations and one over the bad ones, with one
 * bandwidth per coordinate for all kernels (statsmodels' normal-reference rule {@code 1.06 * std *
 * n^(-1 / (d + 4))}, population standard deviation, at least {@code minBandwidth}, at most 1 for
 * categoricals), built on the shared {@link ParzenEstimator}. A categorical coordinate uses the
 * Aitchison-Aitken kernel for densities: the observed choice keeps probability {@code 1 - bw}, the
 * others share {@code bw}.
 *
 * <p>Candidates are drawn as HpBandSter draws them: pick a good observation, move each continuous
 * coordinate by a truncated normal of {@code bandwidthFactor * bw}, keep each categorical with
 * probability {@code 1 - bw} else pick a choice uniformly. They are scored by {@code log l(x) - log
 * g(x)} with the unwidened bandwidths: of the joint KDEs, or, factorised, summed over coordinates
 * of one-dimensional KDEs with the same kernels.
 */
final class KdePair {

  private static final double LOG_FLOOR = Math.log(1e-32);

  private final ParzenEstimator widenedGood;
  private final List<ParzenEstimator> good;
  private final List<ParzenEstimator> bad;
  private final boolean factorized;

  /**
   * @param good the good density: one joint estimator, or one per coordinate when factorised
   * @param bad the bad density, split the same way
   */
  private KdePair(
      ParzenEstimator widenedGood,
      List<ParzenEstimator> good,
      List<ParzenEstimator> bad,
      boolean factorized) {
    this.widenedGood = widenedGood;
    this.good = good;
    this.bad = bad;
    this.factorized = factorized;
  }

  static KdePair fit(
      List<ParzenDimension> dims,
      double[][] goodPoints,
      double[][] badPoints,
      double bandwidthFactor,
      double minBandwidth,
      boolean factorized) {
    double[] goodBw = bandwidths(dims, goodPoints, minBandwidth);
    double[] badBw = bandwidths(dims, badPoints, minBandwidth);
    double[] widened = new double[goodBw.length];
    for (int j = 0; j < widened.length; j++) {
      // HpBandSter widens only continuous coordinates; categoricals are drawn at their own
      // bandwidth.
      widened[j] =
          dims.get(j).categorical()
              ? goodBw[j]
              : Math.max(minBandwidth, goodBw[j] * bandwidthFactor);
    }
    ParzenEstimator draws = estimator(dims, goodPoints, widened, KdePair::keepOrUniform);
    if (!factorized) {
      return new KdePair(
          draws,
          List.of(estimator(dims, goodPoints, goodBw, KdePair::aitchisonAitken)),
          List.of(estimator(dims, badPoints, badBw, KdePair::aitchisonAitken)),
          false);
    }
    List<ParzenEstimator> goodMarginals = new ArrayList<>();
    List<ParzenEstimator> badMarginals = new ArrayList<>();
    for (int j = 0; j < dims.size(); j++) {
      List<ParzenDimension> one = List.of(dims.get(j));
      goodMarginals.add(
          estimator(
              one, column(goodPoints, j), new double[] {goodBw[j]}, KdePair::aitchisonAitken));
      badMarginals.add(
          estimator(one, column(badPoints, j), new double[] {badBw[j]}, KdePair::aitchisonAitken));
    }
    return new KdePair(draws, goodMarginals, badMarginals, true);
  }

  /** The candidate with the largest good/bad density ratio among {@code count} draws. */
  double[] propose(SplittableRandom random, int count) {
    double[][] candidates = candidates(random, count);
    double[] best = candidates[0];
    double bestScore = Double.NEGATIVE_INFINITY;
    for (double[] x : candidates) {
      double score = score(x);
      if (score > bestScore || Double.isNaN(bestScore)) {
        bestScore = score;
        best = x;
      }
    }
    return best;
  }

  /** {@code count} draws from the good KDE, widened as HpBandSter widens it for proposals. */
  double[][] candidates(SplittableRandom random, int count) {
    return widenedGood.sample(random, count);
  }

  /** log(l(x) / g(x)): of the joint densities, or summed over coordinates when factorised. */
  double score(double[] x) {
    if (!factorized) {
      return good.get(0).logPdf(x) - Math.max(LOG_FLOOR, bad.get(0).logPdf(x));
    }
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      double[] xj = {x[j]};
      sum += good.get(j).logPdf(xj) - Math.max(LOG_FLOOR, bad.get(j).logPdf(xj));
    }
    return sum;
  }

  private static double[][] column(double[][] points, int j) {
    double[][] out = new double[points.length][1];
    for (int i = 0; i < points.length; i++) {
      out[i][0] = points[i][j];
    }
    return out;
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
      // statsmodels' normal_reference uses the population standard deviation (ddof 0).
      double std = Math.sqrt(ss / n);
      double upper = dims.get(j).categorical() ? 1.0 : Double.POSITIVE_INFINITY;
      bw[j] = Math.min(upper, Math.max(minBandwidth, factor * std));
    }
    return bw;
  }

  /**
   * A categorical kernel: probabilities of the choices given the observed one and the bandwidth.
   */
  @FunctionalInterface
  private interface ChoiceKernel {
    double[] probabilities(int choices, int observed, double bw);
  }

  private static ParzenEstimator estimator(
      List<ParzenDimension> dims, double[][] points, double[] bw, ChoiceKernel choiceKernel) {
    int d = dims.size();
    List<ParzenEstimator.Kernel> kernels = new ArrayList<>(points.length);
    for (double[] p : points) {
      double[] mu = new double[d];
      double[] sigma = new double[d];
      double[][] probabilities = new double[d][];
      for (int j = 0; j < d; j++) {
        ParzenDimension dim = dims.get(j);
        if (dim.categorical()) {
          probabilities[j] = choiceKernel.probabilities(dim.cells(), (int) Math.round(p[j]), bw[j]);
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

  /**
   * HpBandSter's draw for a categorical coordinate: keep the observed choice with probability
   * {@code 1 - bw}, else pick uniformly among all choices (the observed one included).
   */
  static double[] keepOrUniform(int choices, int observed, double bw) {
    double mix = Math.min(1.0, bw);
    double[] p = new double[choices];
    Arrays.fill(p, mix / choices);
    p[Math.min(choices - 1, Math.max(0, observed))] += 1 - mix;
    return p;
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
