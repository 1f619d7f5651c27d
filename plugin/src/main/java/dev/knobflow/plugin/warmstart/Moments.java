package dev.knobflow.plugin.warmstart;

import java.util.List;

/** Shape statistics of numeric columns: population skewness (g1) and excess kurtosis (g2). */
final class Moments {

  private Moments() {}

  /**
   * Mean |g1| and mean g2 over the numeric columns that have at least two present values and are
   * not constant; {@code NaN} for both when there is no such column. Missing values are ignored.
   */
  static double[] meanAbsSkewnessAndKurtosis(List<MetaFeatures.Column> columns) {
    double skewSum = 0;
    double kurtSum = 0;
    int used = 0;
    for (MetaFeatures.Column column : columns) {
      if (!column.numeric()) {
        continue;
      }
      double[] shape = skewnessAndKurtosis(column.numbers());
      if (shape != null) {
        skewSum += Math.abs(shape[0]);
        kurtSum += shape[1];
        used++;
      }
    }
    if (used == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {skewSum / used, kurtSum / used};
  }

  /**
   * {g1, g2} of the non-NaN values: g1 = m3 / m2^1.5, g2 = m4 / m2^2 - 3 with central moments m_k =
   * mean((x - mean)^k); {@code null} for fewer than two values or a constant column.
   */
  static double[] skewnessAndKurtosis(double[] values) {
    int n = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (n < 2 || min == max) {
      return null;
    }
    double mean = sum / n;
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        double d = v - mean;
        double d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
      }
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    return new double[] {m3 / Math.pow(m2, 1.5), m4 / (m2 * m2) - 3.0};
  }
}
