package dev.knobflow.optimizers.samplers.tpe;

import java.util.Arrays;

/** TPE's default rules for how many trials are "good" and how much each observation weighs. */
public final class TpeWeights {

  private TpeWeights() {}

  /** Optuna's default gamma: {@code min(ceil(0.1 n), 25)} good trials out of {@code n}. */
  public static int defaultGamma(int n) {
    return Math.min((int) Math.ceil(0.1 * n), 25);
  }

  /**
   * Optuna's default weights for {@code n} observations in trial order: all 1 below 25; otherwise
   * the 25 most recent at 1 and the older ones ramping linearly from {@code 1/n} up to 1.
   */
  public static double[] defaultWeights(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    if (n < 25) {
      return w;
    }
    int ramp = n - 25;
    for (int i = 0; i < ramp; i++) {
      double start = 1.0 / n;
      w[i] = ramp == 1 ? start : start + (1.0 - start) * i / (ramp - 1);
    }
    return w;
  }
}
