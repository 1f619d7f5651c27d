package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.samplers.parzen.NormalMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

  private final double[][] lower;
  private final double[][] upper;

  private HypervolumeBoxes(List<double[]> lower, List<double[]> upper) {
    this.lower = lower.toArray(new double[0][]);
    this.upper = upper.toArray(new double[0][]);
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
      boxes2d(inside, reference[0], reference[1], Double.NEGATIVE_INFINITY, 0, lo, hi, false);
    } else {
      inside.sort(Comparator.comparingDouble(p -> p[2]));
      double zLow = Double.NEGATIVE_INFINITY;
      for (int s = 0; s <= inside.size(); s++) {
        double zHigh = s < inside.size() ? inside.get(s)[2] : reference[2];
        if (zHigh > zLow) {
          List<double[]> active = inside.subList(0, s);
          boxes2d(active, reference[0], reference[1], zLow, zHigh, lo, hi, true);
        }
        zLow = Math.max(zLow, zHigh);
      }
    }
    return new HypervolumeBoxes(lo, hi);
  }

  private static void boxes2d(
      List<double[]> points,
      double ref0,
      double ref1,
      double zLow,
      double zHigh,
      List<double[]> lo,
      List<double[]> hi,
      boolean threeD) {
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
    // Keep the staircase: increasing first objective with strictly decreasing second.
    List<double[]> stairs = new ArrayList<>();
    double bestSecond = Double.POSITIVE_INFINITY;
    for (double[] p : sorted) {
      if (p[1] < bestSecond) {
        stairs.add(p);
        bestSecond = p[1];
      }
    }
    double xLow = Double.NEGATIVE_INFINITY;
    double yHigh = ref1;
    for (int i = 0; i <= stairs.size(); i++) {
      double xHigh = i < stairs.size() ? stairs.get(i)[0] : ref0;
      if (xHigh > xLow) {
        lo.add(
            threeD
                ? new double[] {xLow, Double.NEGATIVE_INFINITY, zLow}
                : new double[] {xLow, Double.NEGATIVE_INFINITY});
        hi.add(threeD ? new double[] {xHigh, yHigh, zHigh} : new double[] {xHigh, yHigh});
      }
      if (i < stairs.size()) {
        xLow = Math.max(xLow, xHigh);
        yHigh = stairs.get(i)[1];
      }
    }
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
    double[] terms = new double[lower.length];
    for (int b = 0; b < lower.length; b++) {
      double t = 0;
      for (int j = 0; j < m; j++) {
        t += logPsiDifference(upper[b][j], lower[b][j], mean[j], sd[j]);
        if (t == Double.NEGATIVE_INFINITY) {
          break;
        }
      }
      terms[b] = t;
    }
    return lower.length == 0
        ? Double.NEGATIVE_INFINITY
        : NormalMath.logSumExp(terms, 0, terms.length);
  }

  /** log(psi(u) - psi(l)). */
  static double logPsiDifference(double u, double l, double mu, double sd) {
    double logU = Math.log(sd) + Acquisitions.logH((u - mu) / sd);
    if (l == Double.NEGATIVE_INFINITY) {
      return logU;
    }
    double logL = Math.log(sd) + Acquisitions.logH((l - mu) / sd);
    double diff = logL - logU;
    if (diff >= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return logU + Math.log1p(-Math.exp(diff));
  }

  @Override
  public String toString() {
    return "HypervolumeBoxes(" + lower.length + " boxes)";
  }
}
