package dev.knobflow.plugin.warmstart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished trial of a past study: its parameters and objective values, in the order of the
 * study's objectives.
 *
 * @param params parameter values (numbers, strings or booleans; numeric strings as MLflow stores
 *     them are accepted for numeric distributions)
 * @param values objective values
 */
public record PastTrial(Map<String, Object> params, List<Double> values) {

  public PastTrial {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(values, "values");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
  }

  /** A trial with one objective value. */
  public static PastTrial of(Map<String, Object> params, double value) {
    return new PastTrial(params, List.of(value));
  }

  /** A trial with several objective values. */
  public static PastTrial of(Map<String, Object> params, double... values) {
    return new PastTrial(params, java.util.Arrays.stream(values).boxed().toList());
  }
}
