package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.TrialState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a trial finished.
 *
 * @param state COMPLETE, PRUNED or FAIL
 * @param values objective values in objective order (empty for FAIL)
 * @param constraints constraint values
 * @param metrics extra metrics
 * @param reason why it failed or was pruned, or {@code null}
 * @param at when it finished
 */
public record TrialOutcome(
    TrialState state,
    List<Double> values,
    List<Double> constraints,
    Map<String, Double> metrics,
    String reason,
    Instant at) {

  public TrialOutcome {
    if (!state.isFinished()) {
      throw new IllegalArgumentException("outcome state must be finished, got " + state);
    }
    values = List.copyOf(values);
    constraints = List.copyOf(constraints);
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A completed trial. */
  public static TrialOutcome complete(
      List<Double> values, List<Double> constraints, Map<String, Double> metrics, Instant at) {
    return new TrialOutcome(TrialState.COMPLETE, values, constraints, metrics, null, at);
  }

  /** A failed trial with its reason. */
  public static TrialOutcome failed(String reason, Instant at) {
    return new TrialOutcome(TrialState.FAIL, List.of(), List.of(), Map.of(), reason, at);
  }

  /** A pruned trial, keeping its last reported values. */
  public static TrialOutcome pruned(List<Double> lastValues, String reason, Instant at) {
    return new TrialOutcome(TrialState.PRUNED, lastValues, List.of(), Map.of(), reason, at);
  }
}
