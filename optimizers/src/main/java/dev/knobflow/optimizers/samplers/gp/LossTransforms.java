package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.samplers.NumericalFailureException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the GP is fitted to: objective values in minimisation form, ParEGO's random scalarisation
 * for more than three objectives, a log warping of heavy tails of bad values, and standardisation
 * with the prior mean on the bad side. Observations the model cannot represent throw {@link
 * NumericalFailureException}. Optuna's {@code _gp/} standardises in its sampler; the seams are the
 * same.
 */
final class LossTransforms {

  /** Skewness of the losses above which their tail is log-compressed ({@link #tailWarped}). */
  private static final double TAIL_SKEWNESS = 1.0;

  /**
   * Standard deviations between the observations' mean and the GP's prior mean, on the bad side:
   * far from the data the model predicts a worse-than-average value instead of the average. With
   * the average, the high variance at the corners of the box made the search sample corners (DTLZ2:
   * trials 10 to 50 all at 0 or 1 in most inputs; Rosenbrock-10 at its box corners). Measured with
   * 10 seeds: DTLZ2 0.751 to 0.755 HV, Rosenbrock-10 median regret 257 to 106, Branin and
   * Hartmann-6 unchanged within their seed spread (Branin 30 seeds: 9.7e-6 with 0, 5.4e-6 with 1);
   * a shift of 2 was unstable on DTLZ2 (0.720 to 0.754 over 3 seeds).
   */
  private static final double PRIOR_MEAN_SHIFT = 1.0;

  private LossTransforms() {}

  /** Objective values in minimisation form; +Infinity becomes the worst finite value. */
  static double[][] losses(List<FrozenTrial> trials, List<Objective> objectives) {
    int n = trials.size();
    int m = objectives.size();
    double[][] out = new double[n][m];
    for (int j = 0; j < m; j++) {
      double worst = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double v = objectives.get(j).direction().toMinimization(trials.get(i).values().get(j));
        if (Double.isNaN(v) || v == Double.NEGATIVE_INFINITY) {
          throw new NumericalFailureException(
              "trial "
                  + trials.get(i).number()
                  + " has objective '"
                  + objectives.get(j).name()
                  + "' = "
                  + trials.get(i).values().get(j)
                  + ", which cannot be modelled");
        }
        out[i][j] = v;
        if (Double.isFinite(v)) {
          worst = Math.max(worst, v);
        }
      }
      if (worst == Double.NEGATIVE_INFINITY) {
        throw new NumericalFailureException(
            "objective '" + objectives.get(j).name() + "' has no finite value");
      }
      for (int i = 0; i < n; i++) {
        if (out[i][j] == Double.POSITIVE_INFINITY) {
          out[i][j] = worst;
        }
      }
    }
    return out;
  }

  /** Column {@code j} of {@code values}. */
  static double[] column(double[][] values, int j) {
    double[] c = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      c[i] = values[i][j];
    }
    return c;
  }

  /** ParEGO: a random augmented Chebyshev scalarisation of min-max normalised objectives. */
  static double[] parego(double[][] losses, SplittableRandom random) {
    int n = losses.length;
    int m = losses[0].length;
    double[] w = new double[m];
    double sum = 0;
    for (int j = 0; j < m; j++) {
      w[j] = -Math.log(Math.max(1e-300, random.nextDouble()));
      sum += w[j];
    }
    double[] lo = new double[m];
    double[] hi = new double[m];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] row : losses) {
      for (int j = 0; j < m; j++) {
        lo[j] = Math.min(lo[j], row[j]);
        hi[j] = Math.max(hi[j], row[j]);
      }
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      double total = 0;
      for (int j = 0; j < m; j++) {
        double f = hi[j] > lo[j] ? (losses[i][j] - lo[j]) / (hi[j] - lo[j]) : 0;
        double wf = w[j] / sum * f;
        max = Math.max(max, wf);
        total += wf;
      }
      out[i] = max + 0.05 * total;
    }
    return out;
  }

  /**
   * Losses with a heavy tail of bad values (sample skewness above {@link #TAIL_SKEWNESS}, as on
   * Rosenbrock-like objectives spanning orders of magnitude) through {@code log(y - min + delta)}
   * with {@code delta} the median's distance to the minimum: the order and the good end stay, the
   * tail is compressed, so that a few huge values no longer dominate the standardised targets and
   * the fitted length scales. Other losses unchanged.
   */
  static double[] tailWarped(double[] losses) {
    int n = losses.length;
    double mean = 0;
    for (double v : losses) {
      mean += v;
    }
    mean /= n;
    double m2 = 0;
    double m3 = 0;
    for (double v : losses) {
      double d = v - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
    m2 /= n;
    m3 /= n;
    if (!(m2 > 0) || !(m3 / Math.pow(m2, 1.5) > TAIL_SKEWNESS)) {
      return losses;
    }
    double[] sorted = losses.clone();
    Arrays.sort(sorted);
    double min = sorted[0];
    double delta = sorted[n / 2] - min;
    if (!(delta > 0)) {
      return losses;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.log(losses[i] - min + delta);
    }
    return out;
  }

  /**
   * Values (losses or constraint values: smaller is better) in units of their standard deviation,
   * measured from {@code centre}, or {@code null} when they are all equal. The centre, where the
   * GP's zero prior mean sits, is {@link #PRIOR_MEAN_SHIFT} standard deviations on the bad side of
   * the values' mean.
   */
  record Standardised(double[] values, double centre, double sd) {
    static Standardised of(double[] raw, String what) {
      int n = raw.length;
      double mean = 0;
      for (double v : raw) {
        if (!Double.isFinite(v)) {
          throw new NumericalFailureException(what + " has a non-finite value " + v);
        }
        mean += v;
      }
      mean /= n;
      double var = 0;
      for (double v : raw) {
        var += (v - mean) * (v - mean);
      }
      double sd = Math.sqrt(var / n);
      if (!(sd > 1e-12 * Math.max(1.0, Math.abs(mean)))) {
        return null;
      }
      double centre = mean + PRIOR_MEAN_SHIFT * sd;
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = (raw[i] - centre) / sd;
      }
      return new Standardised(out, centre, sd);
    }
  }
}
