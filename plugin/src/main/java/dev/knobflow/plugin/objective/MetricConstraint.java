package dev.knobflow.plugin.objective;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A bound on a metric the objective reports, e.g. {@code latency_ms <= 5}. It becomes constraint
 * values in the engine's convention (feasible when {@code <= 0}): {@code value - max} for an upper
 * bound and {@code min - value} for a lower bound.
 *
 * @param metric the reported metric (an objective or an extra metric)
 * @param max the upper bound, or {@code null}
 * @param min the lower bound, or {@code null}
 */
public record MetricConstraint(String metric, @Nullable Double max, @Nullable Double min) {

  public MetricConstraint {
    if (metric == null || metric.isBlank()) {
      throw new IllegalArgumentException("constraint: metric must not be blank");
    }
    if (max == null && min == null) {
      throw new IllegalArgumentException("constraint on '" + metric + "': give max, min or both");
    }
    if (max != null && min != null && min > max) {
      throw new IllegalArgumentException(
          "constraint on '" + metric + "': min (" + min + ") must not exceed max (" + max + ")");
    }
  }

  /** {@code metric <= max}. */
  public static MetricConstraint atMost(String metric, double max) {
    return new MetricConstraint(metric, max, null);
  }

  /** {@code metric >= min}. */
  public static MetricConstraint atLeast(String metric, double min) {
    return new MetricConstraint(metric, null, min);
  }

  /** The constraint values for a reported value: one per bound, upper bound first. */
  public List<Double> violations(double value) {
    List<Double> out = new ArrayList<>(2);
    if (max != null) {
      out.add(value - max);
    }
    if (min != null) {
      out.add(min - value);
    }
    return out;
  }

  @Override
  public String toString() {
    if (max != null && min != null) {
      return min + " <= " + metric + " <= " + max;
    }
    return max != null ? metric + " <= " + max : metric + " >= " + min;
  }
}
