package dev.knobflow.advisor.diagnostics;

import java.util.Random;

/** Parametric curve families with known labels, seeded; shared by tests and the benchmark. */
public final class SyntheticCurves {

  private SyntheticCurves() {}

  /** Exponential decay of a loss towards a floor, with multiplicative noise. */
  public static double[] healthyLoss(int n, double noise, Random rnd) {
    double[] c = new double[n];
    double start = 1 + 2 * rnd.nextDouble();
    double floor = 0.05 + 0.1 * rnd.nextDouble();
    double rate = (1 + rnd.nextDouble()) / n; // still clearly improving at the end
    for (int i = 0; i < n; i++) {
      double clean = floor + (start - floor) * Math.exp(-rate * i);
      c[i] = clean * (1 + noise * rnd.nextGaussian());
    }
    return c;
  }

  /** Decays, then grows geometrically from a random point in the second half. */
  public static double[] divergingLoss(int n, Random rnd) {
    double[] c = healthyLoss(n, 0.01, rnd);
    int from = n / 2 + rnd.nextInt(n / 4);
    double growth = 1.05 + 0.3 * rnd.nextDouble();
    for (int i = from; i < n; i++) {
      c[i] = c[from - 1] * Math.pow(growth, i - from + 1);
    }
    return c;
  }

  /** Decays, then produces NaN from a random point on. */
  public static double[] nanLoss(int n, Random rnd) {
    double[] c = healthyLoss(n, 0.01, rnd);
    for (int i = n - 1 - rnd.nextInt(Math.max(1, n / 3)); i < n; i++) {
      c[i] = Double.NaN;
    }
    return c;
  }

  /** Decays, then flattens completely: the last third moves by less than 0.001. */
  public static double[] plateauLoss(int n, Random rnd) {
    double[] c = new double[n];
    double start = 1 + rnd.nextDouble();
    double level = 0.3 + 0.3 * rnd.nextDouble();
    int knee = n / 3;
    for (int i = 0; i < n; i++) {
      c[i] = i < knee ? start - (start - level) * i / knee : level + 0.0005 * rnd.nextGaussian();
    }
    return c;
  }

  /** Decays, then swings around a level with a period of 2 to 4 steps and no progress. */
  public static double[] oscillatingLoss(int n, Random rnd) {
    double[] c = new double[n];
    double level = 0.5 + rnd.nextDouble();
    double amplitude = level * (0.1 + 0.3 * rnd.nextDouble());
    int period = 2 + rnd.nextInt(3);
    int knee = n / 4;
    for (int i = 0; i < n; i++) {
      double swing = amplitude * Math.cos(2 * Math.PI * i / period);
      c[i] = (i < knee ? level * (2 - (double) i / knee) : level) + swing;
      c[i] *= 1 + 0.01 * rnd.nextGaussian();
    }
    return c;
  }

  /** Accuracy rising towards a ceiling (maximise). */
  public static double[] healthyAccuracy(int n, Random rnd) {
    double[] c = new double[n];
    double ceiling = 0.8 + 0.15 * rnd.nextDouble();
    double rate = 1.5 / n;
    for (int i = 0; i < n; i++) {
      c[i] = 0.1 + (ceiling - 0.1) * (1 - Math.exp(-rate * i)) + 0.003 * rnd.nextGaussian();
    }
    return c;
  }
}
