package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link MetricConstraint}s to another objective's results: the bounded metrics are looked
 * up among the objective values and extra metrics, and their violations are appended to the
 * result's constraint values. A trial that does not report a bounded metric fails with a reason
 * naming it.
 */
public final class ConstrainedObjective implements ObjectiveFunction, AutoCloseable {
  private final ObjectiveFunction inner;
  private final List<String> objectiveNames;
  private final List<MetricConstraint> constraints;

  /**
   * @param inner the objective whose results are bounded
   * @param objectiveNames the study's objectives in order (to name positional values)
   * @param constraints the bounds
   */
  public ConstrainedObjective(
      ObjectiveFunction inner, List<String> objectiveNames, List<MetricConstraint> constraints) {
    this.inner = inner;
    this.objectiveNames = List.copyOf(objectiveNames);
    this.constraints = List.copyOf(constraints);
  }

  /** The wrapped objective. */
  public ObjectiveFunction inner() {
    return inner;
  }

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    TrialResult result = inner.evaluate(trial);
    if (result == null || constraints.isEmpty()) {
      return result;
    }
    Map<String, Double> reported = new LinkedHashMap<>(result.named());
    for (int i = 0; i < result.values().size() && i < objectiveNames.size(); i++) {
      reported.put(objectiveNames.get(i), result.values().get(i));
    }
    reported.putAll(result.metrics());
    List<Double> values = new ArrayList<>(result.constraints());
    for (MetricConstraint c : constraints) {
      Double v = reported.get(c.metric());
      if (v == null) {
        throw new MissingMetricException(
            "constraint "
                + c
                + ": the objective did not report the metric '"
                + c.metric()
                + "' (it reported: "
                + (reported.isEmpty() ? "nothing" : String.join(", ", reported.keySet()))
                + ")");
      }
      values.addAll(c.violations(v));
    }
    return result.withConstraints(values);
  }

  @Override
  public void close() throws Exception {
    if (inner instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** A constrained metric was not reported. */
  public static final class MissingMetricException extends Exception {
    private static final long serialVersionUID = 1L;

    MissingMetricException(String message) {
      super(message);
    }
  }
}
