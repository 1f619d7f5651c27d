package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.config.Durations;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Short, readable text for numbers, parameters and durations in tables and progress lines. */
final class Formats {

  private Formats() {}

  /** A number with up to 6 significant digits, plain where that is readable. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    double a = Math.abs(v);
    if (a >= 1e-4 && a < 1e9) {
      return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.5e", v);
  }

  /** A parameter value: floats as {@link #number}, other values as they are. */
  static String value(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return number(((Number) v).doubleValue());
    }
    return String.valueOf(v);
  }

  /** {@code a=1, b=x}. */
  static String assignments(Map<String, ?> values) {
    StringJoiner j = new StringJoiner(", ");
    values.forEach((k, v) -> j.add(k + "=" + value(v)));
    return j.toString();
  }

  /** A duration such as {@code 1.2s} or {@code 3m12s}. */
  static String duration(Duration d) {
    return Durations.format(d);
  }
}
