package dev.knobflow.optimizers.distributions;

/**
 * Real numbers between {@code low} and {@code high} inclusive, optionally on a log scale or on a
 * grid of {@code step}.
 *
 * @param low the smallest value
 * @param high the largest value, greater than {@code low}
 * @param log whether values are spread uniformly in log space; requires {@code low > 0}
 * @param step the grid spacing, or {@code 0} for a continuous range; not combined with log
 */
public record FloatDistribution(double low, double high, boolean log, double step)
    implements Distribution {

  public FloatDistribution {
    if (!Double.isFinite(low)) {
      throw new InvalidDistributionException("low", "must be a finite number, got " + low);
    }
    if (!Double.isFinite(high)) {
      throw new InvalidDistributionException("high", "must be a finite number, got " + high);
    }
    if (low >= high) {
      throw new InvalidDistributionException(
          "low", "must be less than high (" + high + "), got " + low);
    }
    if (log && low <= 0) {
      throw new InvalidDistributionException(
          "low", "must be greater than 0 when log is true, got " + low);
    }
    if (!(step >= 0) || Double.isInfinite(step)) {
      throw new InvalidDistributionException(
          "step", "must be a positive number or absent, got " + step);
    }
    if (step > 0 && log) {
      throw new InvalidDistributionException("step", "cannot be combined with log: true");
    }
    if (step > high - low) {
      throw new InvalidDistributionException(
          "step", "must not exceed the range high - low (" + (high - low) + "), got " + step);
    }
  }

  /** A continuous uniform range. */
  public static FloatDistribution of(double low, double high) {
    return new FloatDistribution(low, high, false, 0);
  }

  /** A continuous range, uniform in log space. */
  public static FloatDistribution logOf(double low, double high) {
    return new FloatDistribution(low, high, true, 0);
  }

  /** The grid {@code low, low + step, ...} up to {@code high}. */
  public static FloatDistribution stepped(double low, double high, double step) {
    return new FloatDistribution(low, high, false, step);
  }

  /** Whether the range is a grid. */
  public boolean hasStep() {
    return step > 0;
  }

  private long gridPoints() {
    return (long) Math.floor((high - low) / step + 1e-9) + 1;
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double v = n.doubleValue();
    if (!(v >= low - 1e-12 * Math.abs(low) && v <= high + 1e-12 * Math.abs(high))) {
      return false;
    }
    if (hasStep()) {
      double k = (v - low) / step;
      return Math.abs(k - Math.rint(k)) < 1e-6;
    }
    return true;
  }

  @Override
  public double toInternal(Object value) {
    return ((Number) value).doubleValue();
  }

  @Override
  public Object toExternal(double internal) {
    return internal;
  }

  @Override
  public Object fromUnit(double u) {
    u = Distribution.clampUnit(u);
    if (hasStep()) {
      long n = gridPoints();
      long k = Math.min(n - 1, (long) Math.floor(u * n));
      return Math.min(high, low + k * step);
    }
    if (log) {
      double v = Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
      return Math.min(high, Math.max(low, v));
    }
    return Math.min(high, low + u * (high - low));
  }

  @Override
  public double toUnit(Object value) {
    double v = toInternal(value);
    if (hasStep()) {
      long n = gridPoints();
      long k = Math.round((v - low) / step);
      return Distribution.clampUnit((k + 0.5) / n);
    }
    if (log) {
      return Distribution.clampUnit(
          (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)));
    }
    return Distribution.clampUnit((v - low) / (high - low));
  }

  @Override
  public long size() {
    return hasStep() ? gridPoints() : -1;
  }

  @Override
  public String typeName() {
    return "float";
  }
}
