package dev.knobflow.optimizers.budget;

/**
 * Where one budget stands.
 *
 * @param name the budget key ({@code gpu_hours}, {@code energy_kwh}, {@code co2_kg}, {@code
 *     wall_hours})
 * @param limit the limit
 * @param spent what the study's trials (or, for wall time, the clock since the first trial started)
 *     have used
 * @param committed the forecast cost of the trials running now, counted before they finish so that
 *     workers do not all start one more trial on the same remaining amount
 * @param forecast the forecast cost of one more trial (the mean of finished trials at the level new
 *     trials start at), or {@code NaN} before any trial finished with a cost
 */
public record BudgetStatus(
    String name, double limit, double spent, double committed, double forecast) {

  /** {@code limit - spent}, at least 0. */
  public double remaining() {
    return Math.max(0, limit - spent);
  }

  /** Whether the spent amount reached the limit: running trials are pruned. */
  public boolean exhausted() {
    return spent >= limit;
  }

  /** Whether one more trial fits: spent + running trials + one more, forecast, within the limit. */
  public boolean admitsAnother() {
    if (exhausted()) {
      return false;
    }
    double next = Double.isNaN(forecast) ? 0 : forecast;
    return spent + committed + next <= limit;
  }

  /** {@code energy_kwh: spent 1.2 of 1.5, remaining 0.3 (next trial ~0.25)}. */
  public String describe() {
    return name
        + ": spent "
        + round(spent)
        + " of "
        + round(limit)
        + ", remaining "
        + round(remaining())
        + (Double.isNaN(forecast) ? "" : " (next trial ~" + round(forecast) + ")");
  }

  /** Four significant digits, no trailing zeros: {@code 0.9}, {@code 1.234}, {@code 12000}. */
  static String round(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
