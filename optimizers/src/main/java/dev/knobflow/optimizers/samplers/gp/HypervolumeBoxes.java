package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.samplers.parzen.NormalMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact expected hypervolume improvement for 2 and 3 minimised objectives with independent normal
 * predictions, through a decomposition of the region that the front does not dominate (inside the
 * reference box) into disjoint boxes.
 *
 * <p>For a box [l, u] the improvement of a point y is {@code prod_j (u_j - max(y_j, l_j))^+}; with
 * independent normal coordinates its expectation factorises, and {@code E[(u - max(Y, l))^+] =
 * psi(u) - psi(l)} with {@code psi(t) = sigma h((t - mu) / sigma)} (see {@link Acquisitions#logH}).
 * Everything is summed in log space, so tiny improvements still rank candidates.
 */
public final class HypervolumeBoxes {

  /**
   * Beyond this many standard deviations above the mean, a bound is improved for certain in double
   * precision: {@code h(z) = z Phi(z) + phi(z)} equals {@code z} to within 1e-15 relative, so psi
   * is {@code t - mu} and an interval above it contributes its width (no normal CDF or density).
   */
  private static final double CERTAIN_Z = 8.5;

  private final double[][] lower;
  private final double[][] upper;

  /**
   * The boxes share few distinct bounds: per objective, the distinct finite bound values, the
   * distinct (lower, upper) pairs as indices into them (-1: no lower bound), and each box's pair.
   * The expected improvement evaluates psi once per distinct value and the difference once per
   * distinct pair instead of twice per box and objective.
   */
  private final double[][] values;

  private final int[][] pairLower;
  private final int[][] pairUpper;
  private final int[][] boxPair;

  private HypervolumeBoxes(List<double[]> lower, List<double[]> upper) {
    this.lower = lower.toArray(new double[0][]);
    this.upper = upper.toArray(new double[0][]);
    int m = this.lower.length == 0 ? 0 : this.lower[0].length;
    int boxes = this.lower.length;
    values = new double[m][];
    pairLower = new int[m][];
    pairUpper = new int[m][];
    boxPair = new int[boxes][m];
    for (int j = 0; j < m; j++) {
      java.util.TreeSet<Double> distinct = new java.util.TreeSet<>();
      for (int b = 0; b < boxes; b++) {
        if (this.lower[b][j] != Double.NEGATIVE_INFINITY) {
          distinct.add(this.lower[b][j]);
        }
        distinct.add(this.upper[b][j]);
      }
      values[j] = distinct.stream().mapToDouble(Double::doubleValue).toArray();
      java.util.Map<Long, Integer> pairs = new java.util.HashMap<>();
      List<int[]> pairList = new ArrayList<>();
      for (int b = 0; b < boxes; b++) {
        int lo =
            this.lower[b][j] == Double.NEGATIVE_INFINITY
                ? -1
                : java.util.Arrays.binarySearch(values[j], this.lower[b][j]);
        int hi = java.util.Arrays.binarySearch(values[j], this.upper[b][j]);
        long key = ((long) (lo + 1) << 32) | hi;
        Integer index = pairs.get(key);
        if (index == null) {
          index = pairList.size();
          pairs.put(key, index);
          pairList.add(new int[] {lo, hi});
        }
        boxPair[b][j] = index;
      }
      pairLower[j] = pairList.stream().mapToInt(p -> p[0]).toArray();
      pairUpper[j] = pairList.stream().mapToInt(p -> p[1]).toArray();
    }
  }

  /**
   * The boxes for a front (any points; dominated ones and those outside the reference box are
   * ignored) in 2 or 3 objectives.
   */
  public static HypervolumeBoxes of(double[][] points, double[] reference) {
    int m = reference.length;
    if (m != 2 && m != 3) {
      throw new IllegalArgumentException("box decomposition supports 2 or 3 objectives, got " + m);
    }
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      boolean in = true;
      for (int j = 0; j < m; j++) {
        in &= p[j] < reference[j];
      }
      if (in) {
        inside.add(p);
      }
    }
    List<double[]> lo = new ArrayList<>();
    List<double[]> hi = new ArrayList<>();
    if (m == 2) {
      for (Column column : columns(inside, reference[0], reference[1])) {
        lo.add(new double[] {column.xLow(), Double.NEGATIVE_INFINITY});
        hi.add(new double[] {column.xHigh(), column.yHigh()});
      }
    } else {
      boxes3d(inside, reference, lo, hi);
    }
    return new HypervolumeBoxes(lo, hi);
  }

  /** One column of a 2-D staircase cross-section: {@code [xLow, xHigh] x (-inf, yHigh]}. */
  private record Column(double xLow, double xHigh, double yHigh) {}

  /**
   * Sweeps upwards in the third objective. Between consecutive points the region's cross-section is
   * the 2-D staircase of the points below; a point's arrival changes only the columns around it,
   * and an unchanged column continues as the same box. That gives O(k) boxes for k points instead
   * of a full staircase per slab (O(k^2)), and the expected improvement costs one term per box.
   */
  private static void boxes3d(
      List<double[]> inside, double[] reference, List<double[]> lo, List<double[]> hi) {
    inside.sort(Comparator.comparingDouble(p -> p[2]));
    // Open columns and the third-objective value each opened at, in opening order.
    Map<Column, Double> open = new LinkedHashMap<>();
    open.put(
        new Column(Double.NEGATIVE_INFINITY, reference[0], reference[1]), Double.NEGATIVE_INFINITY);
    List<double[]> active = new ArrayList<>();
    for (double[] point : inside) {
      double z = point[2];
      active.add(point);
      Set<Column> next = new LinkedHashSet<>(columns(active, reference[0], reference[1]));
      for (Iterator<Map.Entry<Column, Double>> it = open.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Column, Double> column = it.next();
        if (!next.contains(column.getKey())) {
          emit(column.getKey(), column.getValue(), z, lo, hi);
          it.remove();
        }
      }
      for (Column column : next) {
        open.putIfAbsent(column, z);
      }
    }
    for (Map.Entry<Column, Double> column : open.entrySet()) {
      emit(column.getKey(), column.getValue(), reference[2], lo, hi);
    }
  }

  private static void emit(
      Column column, double zLow, double zHigh, List<double[]> lo, List<double[]> hi) {
    if (zHigh > zLow) {
      lo.add(new double[] {column.xLow(), Double.NEGATIVE_INFINITY, zLow});
      hi.add(new double[] {column.xHigh(), column.yHigh(), zHigh});
    }
  }

  /** The columns of the region in the first two objectives that {@code points} do not dominate. */
  private static List<Column> columns(List<double[]> points, double ref0, double ref1) {
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
    List<Column> out = new ArrayList<>();
    double xLow = Double.NEGATIVE_INFINITY;
    double yHigh = ref1;
    for (double[] p : sorted) {
      if (p[1] >= yHigh) {
        continue; // dominated in these two objectives by a point with a smaller first one
      }
      if (p[0] > xLow) {
        out.add(new Column(xLow, p[0], yHigh));
        xLow = p[0];
      }
      yHigh = p[1];
    }
    if (ref0 > xLow) {
      out.add(new Column(xLow, ref0, yHigh));
    }
    return out;
  }

  /** The number of boxes. */
  public int size() {
    return lower.length;
  }

  /** The hypervolume improvement of one point (for checks): the volume it adds. */
  public double improvement(double[] y) {
    double total = 0;
    for (int b = 0; b < lower.length; b++) {
      double v = 1;
      for (int j = 0; j < y.length && v > 0; j++) {
        v *= Math.max(0, upper[b][j] - Math.max(y[j], lower[b][j]));
      }
      total += v;
    }
    return total;
  }

  /** log E[hypervolume improvement] for independent normal predictions. */
  public double logExpectedImprovement(double[] mean, double[] sd) {
    int m = mean.length;
    if (lower.length == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double[][] pairTerms = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] z = new double[values[j].length];
      double[] logPsi = logPsi(values[j], mean[j], sd[j], z);
      double[] terms = new double[pairLower[j].length];
      for (int p = 0; p < terms.length; p++) {
        terms[p] = pairTerm(j, p, z, logPsi);
      }
      pairTerms[j] = terms;
    }
    return NormalMath.logSumExp(boxTerms(pairTerms), 0, lower.length);
  }

  /**
   * log E[hypervolume improvement] as {@link #logExpectedImprovement(double[], double[])}, with its
   * analytic partial derivatives in the means ({@code dMean}) and standard deviations ({@code
   * dSd}): {@code d psi(t) / d mu = -Phi(z)} and {@code d psi(t) / d sigma = phi(z)}, chained
   * through each box's log product and the log-sum over boxes. One pass instead of the 4m extra
   * evaluations of central differences.
   */
  public double logExpectedImprovement(double[] mean, double[] sd, double[] dMean, double[] dSd) {
    int m = mean.length;
    java.util.Arrays.fill(dMean, 0, m, 0);
    java.util.Arrays.fill(dSd, 0, m, 0);
    if (lower.length == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double[][] pairTerms = new double[m][];
    double[][] pairMu = new double[m][];
    double[][] pairSd = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] z = new double[values[j].length];
      double[] logPsi = logPsi(values[j], mean[j], sd[j], z);
      int pairs = pairLower[j].length;
      double[] terms = new double[pairs];
      double[] gMu = new double[pairs];
      double[] gSd = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        int hi = pairUpper[j][p];
        int lo = pairLower[j][p];
        double logD = pairTerm(j, p, z, logPsi);
        terms[p] = logD;
        if (logD == Double.NEGATIVE_INFINITY || (lo >= 0 && z[lo] >= CERTAIN_Z)) {
          continue; // no improvement, or a certain one that does not move with mu or sigma
        }
        double zu = z[hi];
        double probability; // (Phi(zu) - Phi(zl)) / D
        if (lo >= 0 && z[lo] > 0) {
          // Both bounds above the mean: difference of upper tails, no cancellation.
          probability = (FastNormal.cdf(-z[lo]) - FastNormal.cdf(-zu)) * Math.exp(-logD);
        } else {
          probability = Math.exp(FastNormal.logCdf(zu) - logD);
          if (lo >= 0) {
            probability -= Math.exp(FastNormal.logCdf(z[lo]) - logD);
          }
        }
        double density = Math.exp(NormalMath.logPdf(zu) - logD);
        if (lo >= 0) {
          density -= Math.exp(NormalMath.logPdf(z[lo]) - logD);
        }
        boolean finite = Double.isFinite(probability) && Double.isFinite(density);
        gMu[p] = finite ? -probability : 0;
        gSd[p] = finite ? density : 0;
      }
      pairTerms[j] = terms;
      pairMu[j] = gMu;
      pairSd[j] = gSd;
    }
    double[] terms = boxTerms(pairTerms);
    double total = NormalMath.logSumExp(terms, 0, terms.length);
    if (!Double.isFinite(total)) {
      return total;
    }
    for (int b = 0; b < lower.length; b++) {
      if (terms[b] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double weight = Math.exp(terms[b] - total);
      int[] pair = boxPair[b];
      for (int j = 0; j < m; j++) {
        dMean[j] += weight * pairMu[j][pair[j]];
        dSd[j] += weight * pairSd[j][pair[j]];
      }
    }
    return total;
  }

  /**
   * log psi at each distinct bound of one objective, writing the bounds' standardised distances
   * above the mean into {@code z}.
   */
  private static double[] logPsi(double[] bounds, double mean, double sd, double[] z) {
    double logSd = Math.log(sd);
    double[] out = new double[bounds.length];
    for (int v = 0; v < bounds.length; v++) {
      z[v] = (bounds[v] - mean) / sd;
      out[v] = z[v] >= CERTAIN_Z ? Math.log(bounds[v] - mean) : logSd + Acquisitions.logH(z[v]);
    }
    return out;
  }

  /**
   * log(psi(u) - psi(l)) of objective {@code j}'s bound pair {@code p} (no lower bound: psi(u)).
   */
  private double pairTerm(int j, int p, double[] z, double[] logPsi) {
    int hi = pairUpper[j][p];
    int lo = pairLower[j][p];
    double logU = logPsi[hi];
    if (lo < 0) {
      return logU;
    }
    if (z[lo] >= CERTAIN_Z) {
      return Math.log(values[j][hi] - values[j][lo]); // the whole interval is improved for certain
    }
    double diff = logPsi[lo] - logU;
    return diff >= 0 ? Double.NEGATIVE_INFINITY : logU + FastNormal.log1mExp(diff);
  }

  /** Each box's log expected improvement: the sum of its objectives' pair terms. */
  private double[] boxTerms(double[][] pairTerms) {
    double[] terms = new double[lower.length];
    for (int b = 0; b < lower.length; b++) {
      double t = 0;
      int[] pair = boxPair[b];
      for (int j = 0; j < pair.length; j++) {
        t += pairTerms[j][pair[j]];
      }
      terms[b] = t;
    }
    return terms;
  }

  @Override
  public String toString() {
    return "HypervolumeBoxes(" + lower.length + " boxes)";
  }
}
