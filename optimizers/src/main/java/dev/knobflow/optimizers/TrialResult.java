package dev.knobflow.optimizers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an objective function returns: the objective values, and optionally extra metrics and
 * constraint values.
 *
 * <p>Values are given either in the study's objective order ({@link #of(double...)}) or by
 * objective name ({@link #ofNamed(Map)}); named values are matched to the objectives when the
 * result is told to the study, and named entries that are not objectives become extra metrics.
 *
 * @param values objective values in objective order (empty when {@code named} is used)
 * @param named objective values and extra metrics by name (empty when {@code values} is used)
 * @param metrics extra metrics that are not objectives
 * @param constraints constraint values; feasible when every value is {@code <= 0}
 */
public record TrialResult(
    List<Double> values,
    Map<String, Double> named,
    Map<String, Double> metrics,
    List<Double> constraints) {

  public TrialResult {
    values = List.copyOf(values);
    named = named.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(named));
    metrics =
        metrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    constraints = List.copyOf(constraints);
  }

  /** Objective values in the study's objective order. */
  public static TrialResult of(double... values) {
    return new TrialResult(boxed(values), Map.of(), Map.of(), List.of());
  }

  /** Objective values (and possibly extra metrics) by name. */
  public static TrialResult ofNamed(Map<String, Double> valuesByName) {
    return new TrialResult(List.of(), valuesByName, Map.of(), List.of());
  }

  /** The same result with extra metrics added. */
  public TrialResult withMetrics(Map<String, Double> extra) {
    Map<String, Double> merged = new LinkedHashMap<>(metrics);
    merged.putAll(extra);
    return new TrialResult(values, named, merged, constraints);
  }

  /** The same result with constraint values (feasible when every value is {@code <= 0}). */
  public TrialResult withConstraints(double... constraintValues) {
    return new TrialResult(values, named, metrics, boxed(constraintValues));
  }

  /** The same result with constraint values (feasible when every value is {@code <= 0}). */
  public TrialResult withConstraints(List<Double> constraintValues) {
    return new TrialResult(values, named, metrics, constraintValues);
  }

  // An immutable list that the constructor's List.copyOf keeps as is (a stream's toList() allows
  // nulls, so List.copyOf would copy it again).
  private static List<Double> boxed(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }
}
