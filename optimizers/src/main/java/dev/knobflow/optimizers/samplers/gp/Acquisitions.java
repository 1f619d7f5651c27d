package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.samplers.parzen.NormalMath;

/**
 * Acquisition functions for minimisation, from a posterior mean and standard deviation. Larger is
 * better for every function here. The normal CDF behind them is a fast approximation with a
 * relative error below 1.2e-7 (they rank candidates, hundreds of thousands per proposal).
 */
public final class Acquisitions {

  private Acquisitions() {}

  /**
   * log h(z) with h(z) = z Phi(z) + phi(z), the expected improvement of a unit normal over a
   * threshold {@code z} standard deviations below its mean; stable for very negative z.
   */
  public static double logH(double z) {
    if (z > -5) {
      return Math.log(z * FastNormal.cdf(z) + NormalMath.pdf(z));
    }
    if (z > -12) {
      // h = phi(z) (1 + z Phi(z)/phi(z)), the ratio from log-space CDF and density.
      double ratio = Math.exp(FastNormal.logCdf(z) - NormalMath.logPdf(z));
      double factor = 1 + z * ratio;
      if (factor > 0) {
        return NormalMath.logPdf(z) + Math.log(factor);
      }
    }
    double z2 = z * z;
    double series = 1 / z2 - 3 / (z2 * z2) + 15 / (z2 * z2 * z2) - 105 / (z2 * z2 * z2 * z2);
    return NormalMath.logPdf(z) + Math.log(series);
  }

  /** log of the expected improvement below {@code best}. */
  public static double logExpectedImprovement(double mean, double sd, double best) {
    return Math.log(sd) + logH((best - mean) / sd);
  }

  /** The expected improvement below {@code best}. */
  public static double expectedImprovement(double mean, double sd, double best) {
    return Math.exp(logExpectedImprovement(mean, sd, best));
  }

  /** log of the probability of improving on {@code best}. */
  public static double logProbabilityOfImprovement(double mean, double sd, double best) {
    return FastNormal.logCdf((best - mean) / sd);
  }

  /** The negated lower confidence bound {@code kappa sd - mean} (UCB for minimisation). */
  public static double upperConfidenceBound(double mean, double sd, double kappa) {
    return kappa * sd - mean;
  }

  /** log of the probability that a normal value is {@code <= threshold}. */
  public static double logProbabilityBelow(double mean, double sd, double threshold) {
    return FastNormal.logCdf((threshold - mean) / sd);
  }
}
