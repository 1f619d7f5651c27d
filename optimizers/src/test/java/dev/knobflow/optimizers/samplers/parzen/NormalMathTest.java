package dev.knobflow.optimizers.samplers.parzen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

class NormalMathTest {

  private static double erfFormula(double z) {
    return 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
  }

  @Test
  void cdfUpperTailShortcutReturnsTheSameBitsAsTheErfFormula() {
    // The shortcut is exact only if the formula itself already rounds to 1.0 there.
    for (double z = NormalMath.CDF_IS_ONE_FROM; z < 60; z += 0.0037) {
      assertEquals(1.0, erfFormula(z), "formula at " + z);
      assertEquals(
          Double.doubleToLongBits(erfFormula(z)),
          Double.doubleToLongBits(NormalMath.cdf(z)),
          "cdf at " + z);
    }
    assertEquals(1.0, NormalMath.cdf(Double.POSITIVE_INFINITY));
  }

  @Test
  void cdfBelowTheShortcutIsTheErfFormula() {
    for (double z = -45; z < NormalMath.CDF_IS_ONE_FROM; z += 0.0113) {
      assertEquals(
          Double.doubleToLongBits(erfFormula(z)),
          Double.doubleToLongBits(NormalMath.cdf(z)),
          "cdf at " + z);
    }
    assertEquals(0.5, NormalMath.cdf(0.0));
    assertEquals(0.9750021048517795, NormalMath.cdf(1.96), 1e-15);
  }

  @Test
  void logMassOfKernelNormalisersIsUnchangedAcrossTheShortcut() {
    // TPE's normaliser log(CDF((1 - m) / s) - CDF(-m / s)) for narrow kernels inside [0, 1].
    for (double m = 0.0; m <= 1.0; m += 0.01) {
      for (double s : new double[] {0.001, 0.01, 0.05, 0.3, 1.0}) {
        double a = -m / s;
        double b = (1 - m) / s;
        double expected = referenceLogMass(a, b);
        assertEquals(
            Double.doubleToLongBits(expected),
            Double.doubleToLongBits(NormalMath.logMass(a, b)),
            "m=" + m + " s=" + s);
      }
    }
  }

  /** NormalMath.logMass as written before the shortcut, on the plain Erf formula. */
  private static double referenceLogMass(double a, double b) {
    if (a >= b) {
      return Double.NEGATIVE_INFINITY;
    }
    if (a > 0) {
      double t = a;
      a = -b;
      b = -t;
    }
    double lb = referenceLogCdf(b);
    double la = referenceLogCdf(a);
    if (la == Double.NEGATIVE_INFINITY) {
      return lb;
    }
    double diff = la - lb;
    if (diff >= 0) {
      return NormalMath.logPdf(0.5 * (a + b)) + Math.log(b - a);
    }
    return lb + Math.log1p(-Math.exp(diff));
  }

  private static double referenceLogCdf(double z) {
    if (z > -30) {
      double c = erfFormula(z);
      return c > 0 ? Math.log(c) : Double.NEGATIVE_INFINITY;
    }
    double z2 = z * z;
    double series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2);
    return -0.5 * z2 - Math.log(-z) - NormalMath.LOG_SQRT_2PI + Math.log(series);
  }
}
