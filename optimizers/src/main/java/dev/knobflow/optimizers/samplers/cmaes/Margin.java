package dev.knobflow.optimizers.samplers.cmaes;

import org.hipparchus.special.Erf;

/**
 * The margin of CMA-ES with Margin (Hamano, Saito, Nomura and Shirakawa, GECCO 2022) for discrete
 * axes (integer and stepped parameters), plus the unit-cube bounds of the continuous axes.
 *
 * <p>A discrete axis is a partition of [0, 1] into cells, one per value. A raw coordinate is
 * encoded by scaling its distance from the mean by a per-axis factor {@code A} and taking the cell
 * it falls in. After each update, the mean and {@code A} are corrected so that the marginal
 * probability of leaving the mean's cell, on each side, stays at least {@code alpha / 2} (at least
 * {@code alpha} on the one side of an edge cell): without it, the distribution concentrates inside
 * one cell and the search on that axis stops for good.
 */
final class Margin {

  private static final double SQRT2 = Math.sqrt(2);

  /** Cell boundaries per axis, {@code 0 = b[0] < ... < b[cells] = 1}; null for continuous axes. */
  private final double[][] boundaries;

  private final double alpha;
  private double[] a;

  Margin(double[][] boundaries, double alpha) {
    this.boundaries = boundaries;
    this.alpha = alpha;
    this.a = new double[boundaries.length];
    java.util.Arrays.fill(a, 1.0);
  }

  Margin copy() {
    Margin m = new Margin(boundaries, alpha);
    m.a = a.clone();
    return m;
  }

  /** Whether any axis is discrete. */
  boolean hasDiscrete() {
    for (double[] bs : boundaries) {
      if (bs != null) {
        return true;
      }
    }
    return false;
  }

  /** Nothing to set up beyond A = 1; kept for symmetry with {@link #correct}. */
  void initialise(double[] mean) {}

  boolean continuousInBounds(double[] x) {
    for (int i = 0; i < x.length; i++) {
      if (boundaries[i] == null && (x[i] < 0 || x[i] > 1)) {
        return false;
      }
    }
    return true;
  }

  void clipContinuous(double[] x) {
    for (int i = 0; i < x.length; i++) {
      if (boundaries[i] == null) {
        x[i] = Math.min(1, Math.max(0, x[i]));
      }
    }
  }

  /**
   * The point to evaluate: continuous coordinates as they are, discrete ones as the centre of the
   * cell their A-scaled offset from the mean falls in.
   */
  double[] encode(double[] raw, double[] mean) {
    double[] out = raw.clone();
    for (int i = 0; i < raw.length; i++) {
      double[] bs = boundaries[i];
      if (bs != null) {
        int k = cell(bs, (raw[i] - mean[i]) * a[i] + mean[i]);
        out[i] = (bs[k] + bs[k + 1]) / 2;
      }
    }
    return out;
  }

  /** Corrects the mean (in place) and A on the discrete axes after an update. */
  void correct(double[] mean, double sigma, double[][] c) {
    if (alpha <= 0) {
      return; // no margin: discrete axes are simply rounded
    }
    for (int i = 0; i < mean.length; i++) {
      double[] bs = boundaries[i];
      if (bs == null) {
        continue;
      }
      int cells = bs.length - 1;
      int k = cell(bs, mean[i]);
      double low = bs[Math.max(0, Math.min(k - 1, cells - 2)) + 1];
      double up = bs[Math.max(0, Math.min(k, cells - 2)) + 1];
      double sd = Math.sqrt(c[i][i]);
      double scale = sigma * a[i] * sd;
      double pLow = phi((low - mean[i]) / scale);
      double pUp = 1 - phi((up - mean[i]) / scale);
      double pMid = 1 - pLow - pUp;
      if (Math.max(pLow, pUp) > 0.5) {
        // An edge cell: only one neighbour; keep at least alpha of mass beyond its boundary.
        if (Math.min(pLow, pUp) < alpha) {
          mean[i] = up + Math.signum(mean[i] - up) * scale * quantileAbove(alpha);
        }
        continue;
      }
      double half = alpha / 2;
      double lo = Math.max(pLow, half);
      double hi = Math.max(pUp, half);
      double excess = 1 - lo - hi - pMid;
      double denominator = lo + pMid + hi - 3 * half;
      double newLow = clamp(lo + excess * (lo - half) / denominator);
      double newUp = clamp(hi + excess * (hi - half) / denominator);
      double zLow = quantileAbove(newLow);
      double zUp = quantileAbove(newUp);
      a[i] = (up - low) / ((zLow + zUp) * sigma * sd);
      mean[i] = (low * zUp + up * zLow) / (zLow + zUp);
    }
  }

  private static double clamp(double p) {
    return Math.min(0.5 - 1e-10, Math.max(1e-10, p));
  }

  /** The index of the cell holding {@code v}, clipped to the axis. */
  static int cell(double[] bs, double v) {
    int lo = 0;
    int hi = bs.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (v >= bs[mid]) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The standard normal CDF. */
  static double phi(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** The z with {@code P(Z > z) = p} for a standard normal Z. */
  static double quantileAbove(double p) {
    return SQRT2 * Erf.erfcInv(2 * p);
  }
}
