package dev.knobflow.optimizers.samplers.parzen;

import org.hipparchus.special.Erf;

/**
 * Standard normal functions that stay accurate far in the tails (log-CDF, log of an interval's
 * mass), shared by the Parzen estimator and the Gaussian-process acquisition functions.
 */
public final class NormalMath {

  /** log(sqrt(2 pi)). */
  public static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private static final double SQRT2 = Math.sqrt(2.0);

  private NormalMath() {}

  /** The standard normal density. */
  public static double pdf(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  /** The log of the standard normal density. */
  public static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  /**
   * From here on the CDF is exactly 1.0 in double precision: erfc(-z / sqrt 2) is computed as 2 - Q
   * with Q below 1e-21, which rounds to 2.0. Returning 1.0 directly skips Erf's continued fraction
   * (the costly part of TPE's kernel normalisers) without changing a single bit.
   */
  static final double CDF_IS_ONE_FROM = 10.0;

  /** The standard normal CDF. */
  public static double cdf(double z) {
    if (z >= CDF_IS_ONE_FROM) {
      return 1.0;
    }
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** log(CDF(z)), accurate for very negative {@code z} (asymptotic series below -30). */
  public static double logCdf(double z) {
    if (z > -30) {
      double c = cdf(z);
      return c > 0 ? Math.log(c) : Double.NEGATIVE_INFINITY;
    }
    double z2 = z * z;
    double series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2);
    return -0.5 * z2 - Math.log(-z) - LOG_SQRT_2PI + Math.log(series);
  }

  /** The quantile function, for p in (0, 1). */
  public static double quantile(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    return SQRT2 * Erf.erfInv(2 * p - 1);
  }

  /** log(CDF(b) - CDF(a)) for a <= b, accurate when both lie far in the same tail. */
  public static double logMass(double a, double b) {
    if (a >= b) {
      return Double.NEGATIVE_INFINITY;
    }
    if (a > 0) {
      // Mirror into the lower tail, where the CDF keeps its precision.
      double t = a;
      a = -b;
      b = -t;
    }
    double lb = logCdf(b);
    double la = logCdf(a);
    if (la == Double.NEGATIVE_INFINITY) {
      return lb;
    }
    double diff = la - lb;
    if (diff >= 0) {
      // Underflow of the difference: fall back to density times width at the midpoint.
      return logPdf(0.5 * (a + b)) + Math.log(b - a);
    }
    return lb + Math.log1p(-Math.exp(diff));
  }

  /** log(sum(exp(values))), stable. */
  public static double logSumExp(double[] values, int from, int to) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, values[i]);
    }
    if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
      return max;
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += Math.exp(values[i] - max);
    }
    return max + Math.log(sum);
  }
}
