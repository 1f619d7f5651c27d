package dev.knobflow.optimizers.distributions;

/**
 * Integers between {@code low} and {@code high} inclusive, optionally on a log scale or on a grid
 * of {@code step}.
 *
 * @param low the smallest value
 * @param high the largest value, greater than {@code low}
 * @param log whether values are spread uniformly in log space; requires {@code low >= 1}
 * @param step the grid spacing (1 for every integer); greater than 1 is not combined with log
 */
public record IntDistribution(long low, long high, boolean log, long step) implements Distribution {

  public IntDistribution {
    if (low >= high) {
      throw new InvalidDistributionException(
          "low", "must be less than high (" + high + "), got " + low);
    }
    if (log && low < 1) {
      throw new InvalidDistributionException(
          "low", "must be at least 1 when log is true, got " + low);
    }
    if (step < 1) {
      throw new InvalidDistributionException("step", "must be at least 1, got " + step);
    }
    if (step > 1 && log) {
      throw new InvalidDistributionException("step", "cannot be combined with log: true");
    }
    if (high - low < 0 || high - low == Long.MAX_VALUE) { // overflowed, or no room for high + 1
      throw new InvalidDistributionException(
          "high",
          "the range high - low must be less than 2^63-1 (9223372036854775807), got low "
              + low
              + " and high "
              + high);
    }
    if (step > high - low) {
      throw new InvalidDistributionException(
          "step", "must not exceed the range high - low (" + (high - low) + "), got " + step);
    }
  }

  /** Every integer from {@code low} to {@code high}. */
  public static IntDistribution of(long low, long high) {
    return new IntDistribution(low, high, false, 1);
  }

  /** Integers from {@code low} to {@code high}, uniform in log space. */
  public static IntDistribution logOf(long low, long high) {
    return new IntDistribution(low, high, true, 1);
  }

  /** The grid {@code low, low + step, ...} up to {@code high}. */
  public static IntDistribution stepped(long low, long high, long step) {
    return new IntDistribution(low, high, false, step);
  }

  private long gridPoints() {
    return (high - low) / step + 1;
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double d = n.doubleValue();
    if (d != Math.rint(d)) {
      return false;
    }
    long v = n.longValue();
    return v >= low && v <= high && (v - low) % step == 0;
  }

  @Override
  public double toInternal(Object value) {
    return ((Number) value).longValue();
  }

  @Override
  public Object toExternal(double internal) {
    return Math.round(internal);
  }

  @Override
  public Object fromUnit(double u) {
    u = Distribution.clampUnit(u);
    if (log) {
      // Uniform in log space over [low - 0.5, high + 0.5], then rounded: each integer gets the
      // log-mass of its rounding cell.
      double lo = Math.log(low - 0.5);
      double hi = Math.log(high + 0.5);
      long v = Math.round(Math.exp(lo + u * (hi - lo)));
      return Math.min(high, Math.max(low, v));
    }
    long n = gridPoints();
    long k = Math.min(n - 1, (long) Math.floor(u * n));
    return low + k * step;
  }

  @Override
  public double toUnit(Object value) {
    long v = Math.round(toInternal(value));
    if (log) {
      double lo = Math.log(low - 0.5);
      double hi = Math.log(high + 0.5);
      return Distribution.clampUnit((Math.log(v) - lo) / (hi - lo));
    }
    long n = gridPoints();
    return Distribution.clampUnit(((v - low) / step + 0.5) / n);
  }

  @Override
  public long size() {
    return gridPoints();
  }

  @Override
  public String typeName() {
    return "int";
  }
}
