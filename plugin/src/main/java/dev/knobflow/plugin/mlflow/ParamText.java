package dev.knobflow.plugin.mlflow;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameter values as MLflow param text: plain decimals for floats, whole numbers for ints. */
final class ParamText {

  private ParamText() {}

  /** The text of one value; doubles round-trip exactly through {@link Double#parseDouble}. */
  static String of(Object value) {
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.toString();
      }
      String text = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      // Keep floats recognisable as floats: 3.0, not 3.
      return text.contains(".") ? text : text + ".0";
    }
    if (value instanceof Float f) {
      return of(f.doubleValue());
    }
    return String.valueOf(value);
  }

  /** Every value as text, in order. */
  static Map<String, String> of(Map<String, Object> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, of(v)));
    return out;
  }
}
