package dev.knobflow.optimizers.samplers.parzen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A Parzen (kernel density) estimator over the unit-interval encoding of a search space: a weighted
 * mixture of product kernels, each a normal truncated to [0, 1] per numeric coordinate (its mass
 * over a cell for discrete coordinates) and a probability vector per categorical coordinate.
 *
 * <p>Coordinates are unit values from {@link
 * dev.knobflow.optimizers.distributions.Distribution#toUnit} (log-aware: a log distribution's
 * kernels are normal in log space) and choice indices for categoricals; see {@link
 * ParzenDimension}.
 *
 * <p>Two ways to build one: {@link #fit} applies TPE's bandwidth rules ({@link ParzenSettings});
 * {@link #of} takes explicit kernels, for callers with their own bandwidth rules (BOHB's KDE uses
 * one bandwidth per coordinate for every kernel). Instances are immutable and thread-safe.
 */
public final class ParzenEstimator {

  /**
   * One mixture component.
   *
   * @param weight the (unnormalised) weight, positive
   * @param mu the centre per coordinate (ignored for categorical coordinates)
   * @param sigma the bandwidth per coordinate, positive (ignored for categorical coordinates)
   * @param choiceProbabilities per coordinate, the probabilities of the choices for categorical
   *     coordinates (summing to 1) and {@code null} for numeric ones
   */
  public record Kernel(
      double weight, double[] mu, double[] sigma, double[] @Nullable [] choiceProbabilities) {}

  private final List<ParzenDimension> dimensions;
  private final double[] logWeights;
  private final double[] cumulativeWeights;
  private final double[][] mu;
  private final double[][] sigma;
  private final double[][][] probabilities;
  private final double[][] logNormaliser;
  private final double[][] logSigma;
  private final double[][][] logProbabilities;

  /**
   * For each discrete coordinate, the kernels grouped by identical (centre, bandwidth): kernels
   * fitted to repeated observations share them, so a cell's mass is computed once per group. {@code
   * null} for other coordinates.
   */
  private final int[][] discreteGroupOf;

  private final double[][] discreteGroupMu;
  private final double[][] discreteGroupSigma;

  private ParzenEstimator(List<ParzenDimension> dimensions, List<Kernel> kernels) {
    this.dimensions = List.copyOf(dimensions);
    int k = kernels.size();
    int d = dimensions.size();
    if (k == 0) {
      throw new IllegalArgumentException("a Parzen estimator needs at least one kernel");
    }
    double total = 0;
    for (Kernel kernel : kernels) {
      if (!(kernel.weight() > 0) || Double.isInfinite(kernel.weight())) {
        throw new IllegalArgumentException(
            "kernel weights must be positive, got " + kernel.weight());
      }
      total += kernel.weight();
    }
    logWeights = new double[k];
    cumulativeWeights = new double[k];
    mu = new double[k][];
    sigma = new double[k][];
    probabilities = new double[k][][];
    logNormaliser = new double[k][d];
    logSigma = new double[k][d];
    logProbabilities = new double[k][][];
    discreteGroupOf = new int[d][];
    discreteGroupMu = new double[d][];
    discreteGroupSigma = new double[d][];
    double running = 0;
    for (int i = 0; i < k; i++) {
      Kernel kernel = kernels.get(i);
      logWeights[i] = Math.log(kernel.weight() / total);
      running += kernel.weight() / total;
      cumulativeWeights[i] = running;
      mu[i] = kernel.mu().clone();
      sigma[i] = kernel.sigma().clone();
      probabilities[i] = new double[d][];
      logProbabilities[i] = new double[d][];
      for (int j = 0; j < d; j++) {
        ParzenDimension dim = dimensions.get(j);
        if (dim.categorical()) {
          double[] p = kernel.choiceProbabilities()[j];
          if (p == null || p.length != dim.cells()) {
            throw new IllegalArgumentException(
                "kernel "
                    + i
                    + " needs "
                    + dim.cells()
                    + " choice probabilities for coordinate "
                    + j);
          }
          probabilities[i][j] = p.clone();
          logProbabilities[i][j] = new double[p.length];
          for (int c = 0; c < p.length; c++) {
            logProbabilities[i][j][c] = Math.log(p[c]);
          }
        } else {
          if (!(sigma[i][j] > 0)) {
            throw new IllegalArgumentException(
                "kernel "
                    + i
                    + " coordinate "
                    + j
                    + ": sigma must be positive, got "
                    + sigma[i][j]);
          }
          logSigma[i][j] = Math.log(sigma[i][j]);
        }
      }
    }
    cumulativeWeights[k - 1] = 1.0;
    for (int j = 0; j < d; j++) {
      ParzenDimension dim = dimensions.get(j);
      if (dim.categorical()) {
        continue;
      }
      if (dim.isDiscrete()) {
        groupDiscreteKernels(j);
        double[] groupNormaliser = new double[discreteGroupMu[j].length];
        for (int g = 0; g < groupNormaliser.length; g++) {
          groupNormaliser[g] = normaliser(discreteGroupMu[j][g], discreteGroupSigma[j][g]);
        }
        for (int i = 0; i < k; i++) {
          logNormaliser[i][j] = groupNormaliser[discreteGroupOf[j][i]];
        }
      } else {
        for (int i = 0; i < k; i++) {
          logNormaliser[i][j] = normaliser(mu[i][j], sigma[i][j]);
        }
      }
    }
  }

  /** Groups the kernels of discrete coordinate {@code j} by bit-identical (centre, bandwidth). */
  private void groupDiscreteKernels(int j) {
    int k = mu.length;
    Map<List<Long>, Integer> groups = new HashMap<>();
    int[] groupOf = new int[k];
    double[] groupMu = new double[k];
    double[] groupSigma = new double[k];
    for (int i = 0; i < k; i++) {
      List<Long> key =
          List.of(Double.doubleToLongBits(mu[i][j]), Double.doubleToLongBits(sigma[i][j]));
      Integer g = groups.get(key);
      if (g == null) {
        g = groups.size();
        groups.put(key, g);
        groupMu[g] = mu[i][j];
        groupSigma[g] = sigma[i][j];
      }
      groupOf[i] = g;
    }
    discreteGroupOf[j] = groupOf;
    discreteGroupMu[j] = Arrays.copyOf(groupMu, groups.size());
    discreteGroupSigma[j] = Arrays.copyOf(groupSigma, groups.size());
  }

  private static double normaliser(double m, double s) {
    return NormalMath.logMass(-m / s, (1 - m) / s);
  }

  /** An estimator with explicit kernels (their weights are normalised). */
  public static ParzenEstimator of(List<ParzenDimension> dimensions, List<Kernel> kernels) {
    return new ParzenEstimator(dimensions, kernels);
  }

  /**
   * Fits TPE's estimator to observations: one kernel per observation centred on it, plus the prior
   * kernel, with bandwidths from {@code settings}.
   *
   * @param dimensions the coordinates
   * @param observations {@code observations[i]} is a point (unit values, choice indices); may be
   *     empty
   * @param weights a positive weight per observation
   * @param settings prior and bandwidth rules
   */
  public static ParzenEstimator fit(
      List<ParzenDimension> dimensions,
      double[][] observations,
      double[] weights,
      ParzenSettings settings) {
    int n = observations.length;
    int d = dimensions.size();
    if (weights.length != n) {
      throw new IllegalArgumentException(
          "weights has " + weights.length + " entries but there are " + n + " observations");
    }
    int kernelCount = n + 1;
    double[][] sigmas = new double[n][d];
    for (int j = 0; j < d; j++) {
      ParzenDimension dim = dimensions.get(j);
      if (dim.categorical() || n == 0) {
        continue;
      }
      double[] column = new double[n];
      for (int i = 0; i < n; i++) {
        column[i] = observations[i][j];
      }
      double[] s =
          settings.multivariate()
              ? scottBandwidths(n, d)
              : neighbourBandwidths(column, settings.considerEndpoints());
      double minSigma =
          settings.considerMagicClip() ? 1.0 / Math.min(100.0, 1.0 + kernelCount) : 1e-12;
      for (int i = 0; i < n; i++) {
        sigmas[i][j] = Math.min(1.0, Math.max(minSigma, s[i]));
      }
    }
    List<Kernel> kernels = new ArrayList<>(kernelCount);
    for (int i = 0; i < n; i++) {
      double[][] probs = new double[d][];
      double[] m = new double[d];
      for (int j = 0; j < d; j++) {
        ParzenDimension dim = dimensions.get(j);
        if (dim.categorical()) {
          probs[j] =
              categoricalKernel(dim.cells(), (int) observations[i][j], settings, kernelCount);
        } else {
          m[j] = observations[i][j];
        }
      }
      kernels.add(new Kernel(weights[i], m, sigmas[i], probs));
    }
    kernels.add(priorKernel(dimensions, settings.priorWeight()));
    return new ParzenEstimator(dimensions, kernels);
  }

  private static Kernel priorKernel(List<ParzenDimension> dimensions, double weight) {
    int d = dimensions.size();
    double[] m = new double[d];
    double[] s = new double[d];
    double[][] probs = new double[d][];
    for (int j = 0; j < d; j++) {
      ParzenDimension dim = dimensions.get(j);
      m[j] = 0.5;
      s[j] = 1.0;
      if (dim.categorical()) {
        probs[j] = new double[dim.cells()];
        Arrays.fill(probs[j], 1.0 / dim.cells());
      }
    }
    return new Kernel(weight, m, s, probs);
  }

  private static double[] categoricalKernel(
      int choices, int observed, ParzenSettings settings, int kernelCount) {
    double[] p = new double[choices];
    Arrays.fill(p, settings.priorWeight() / kernelCount);
    p[Math.min(choices - 1, Math.max(0, observed))] += 1.0;
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    for (int c = 0; c < choices; c++) {
      p[c] /= sum;
    }
    return p;
  }

  /** Scott-like joint bandwidth on the unit range: {@code 0.2 n^(-1/(d+4))}. */
  static double[] scottBandwidths(int n, int d) {
    double[] s = new double[n];
    Arrays.fill(s, 0.2 * Math.pow(Math.max(n, 1), -1.0 / (d + 4)));
    return s;
  }

  /**
   * Each observation's bandwidth is the larger distance to its sorted neighbours, the interval ends
   * acting as outer neighbours; without {@code considerEndpoints} the extreme observations use
   * their inner neighbour only.
   */
  static double[] neighbourBandwidths(double[] values, boolean considerEndpoints) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] sorted = new double[n + 2];
    sorted[0] = 0.0;
    sorted[n + 1] = 1.0;
    for (int i = 0; i < n; i++) {
      sorted[i + 1] = values[order[i]];
    }
    double[] sortedSigma = new double[n];
    for (int i = 0; i < n; i++) {
      sortedSigma[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
    }
    if (!considerEndpoints && n >= 2) {
      sortedSigma[0] = sorted[2] - sorted[1];
      sortedSigma[n - 1] = sorted[n] - sorted[n - 1];
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[order[i]] = sortedSigma[i];
    }
    return s;
  }

  /** The coordinates. */
  public List<ParzenDimension> dimensions() {
    return dimensions;
  }

  /** The number of kernels (observations plus the prior for fitted estimators). */
  public int kernelCount() {
    return logWeights.length;
  }

  /** The bandwidth of kernel {@code kernel} on numeric coordinate {@code coordinate}. */
  public double bandwidth(int kernel, int coordinate) {
    return sigma[kernel][coordinate];
  }

  /** Draws {@code count} points: unit values (snapped to cell centres) and choice indices. */
  public double[][] sample(SplittableRandom random, int count) {
    int d = dimensions.size();
    double[][] out = new double[count][d];
    for (int s = 0; s < count; s++) {
      int k = pickKernel(random.nextDouble());
      for (int j = 0; j < d; j++) {
        ParzenDimension dim = dimensions.get(j);
        if (dim.categorical()) {
          out[s][j] = pickChoice(probabilities[k][j], random.nextDouble());
        } else {
          out[s][j] = dim.snap(sampleTruncated(mu[k][j], sigma[k][j], random.nextDouble()));
        }
      }
    }
    return out;
  }

  private int pickKernel(double r) {
    int index = Arrays.binarySearch(cumulativeWeights, r);
    index = index >= 0 ? index : -index - 1;
    return Math.min(index, cumulativeWeights.length - 1);
  }

  private static int pickChoice(double[] p, double r) {
    double acc = 0;
    for (int c = 0; c < p.length; c++) {
      acc += p[c];
      if (r < acc) {
        return c;
      }
    }
    return p.length - 1;
  }

  private static double sampleTruncated(double m, double s, double r) {
    double pa = NormalMath.cdf(-m / s);
    double pb = NormalMath.cdf((1 - m) / s);
    double z = NormalMath.quantile(pa + r * (pb - pa));
    double x = m + s * z;
    if (!Double.isFinite(x)) {
      x = m;
    }
    return Math.min(1.0, Math.max(0.0, x));
  }

  /**
   * The log density of a point (for discrete coordinates the log probability of its cell; for
   * categorical ones of its choice).
   */
  public double logPdf(double[] x) {
    int k = logWeights.length;
    int d = dimensions.size();
    double[] terms = new double[k];
    for (int i = 0; i < k; i++) {
      double lp = logWeights[i];
      for (int j = 0; j < d && lp > Double.NEGATIVE_INFINITY; j++) {
        lp += logKernel(i, j, x[j]);
      }
      terms[i] = lp;
    }
    return NormalMath.logSumExp(terms, 0, k);
  }

  /**
   * {@link #logPdf(double[])} of each point, bit for bit, computed faster for a batch: a discrete
   * coordinate's cell mass is computed once per distinct value and group of identical kernels
   * instead of once per point and kernel (TPE scores its candidates this way).
   */
  public double[] logPdf(double[][] points) {
    int k = logWeights.length;
    int d = dimensions.size();
    int n = points.length;
    // For each discrete coordinate: each point's index among the distinct values, and the
    // kernel term per (kernel group, distinct value).
    int[][] valueIndex = new int[d][];
    double[][][] cellTerms = new double[d][][];
    for (int j = 0; j < d; j++) {
      ParzenDimension dim = dimensions.get(j);
      if (dim.categorical() || !dim.isDiscrete()) {
        continue;
      }
      Map<Long, Integer> distinct = new HashMap<>();
      List<Double> values = new ArrayList<>();
      valueIndex[j] = new int[n];
      for (int p = 0; p < n; p++) {
        double x = points[p][j];
        Integer index = distinct.get(Double.doubleToLongBits(x));
        if (index == null) {
          index = values.size();
          distinct.put(Double.doubleToLongBits(x), index);
          values.add(x);
        }
        valueIndex[j][p] = index;
      }
      double h = dim.halfCell();
      double[] groupMu = discreteGroupMu[j];
      double[] groupSigma = discreteGroupSigma[j];
      cellTerms[j] = new double[groupMu.length][values.size()];
      for (int g = 0; g < groupMu.length; g++) {
        double m = groupMu[g];
        double s = groupSigma[g];
        for (int v = 0; v < values.size(); v++) {
          double x = values.get(v);
          cellTerms[j][g][v] = NormalMath.logMass((x - h - m) / s, (x + h - m) / s);
        }
      }
    }
    double[] out = new double[n];
    double[] terms = new double[k];
    for (int p = 0; p < n; p++) {
      double[] x = points[p];
      for (int i = 0; i < k; i++) {
        double lp = logWeights[i];
        for (int j = 0; j < d && lp > Double.NEGATIVE_INFINITY; j++) {
          if (cellTerms[j] != null) {
            lp += cellTerms[j][discreteGroupOf[j][i]][valueIndex[j][p]] - logNormaliser[i][j];
          } else {
            lp += logKernel(i, j, x[j]);
          }
        }
        terms[i] = lp;
      }
      out[p] = NormalMath.logSumExp(terms, 0, k);
    }
    return out;
  }

  private double logKernel(int i, int j, double x) {
    ParzenDimension dim = dimensions.get(j);
    if (dim.categorical()) {
      int c = (int) Math.round(x);
      return c >= 0 && c < dim.cells() ? logProbabilities[i][j][c] : Double.NEGATIVE_INFINITY;
    }
    double m = mu[i][j];
    double s = sigma[i][j];
    if (dim.isDiscrete()) {
      double h = dim.halfCell();
      return NormalMath.logMass((x - h - m) / s, (x + h - m) / s) - logNormaliser[i][j];
    }
    if (x < 0 || x > 1) {
      return Double.NEGATIVE_INFINITY;
    }
    double z = (x - m) / s;
    return NormalMath.logPdf(z) - logSigma[i][j] - logNormaliser[i][j];
  }
}
