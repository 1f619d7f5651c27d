package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.TrialState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a trial finished.
 *
 * <p>A COMPLETE outcome holds finite numbers only: one whose objective or constraint values include
 * NaN or an infinity (an overflow such as {@code 1e309} reads as one) becomes a FAIL outcome whose
 * reason names the value. Every storage builds its outcomes here, also when it replays what an
 * older version stored, so no storage can hold (or resurrect) a completed trial with a non-finite
 * value.
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
    @Nullable String reason,
    Instant at) {

  public TrialOutcome {
    if (!state.isFinished()) {
      throw new IllegalArgumentException("outcome state must be finished, got " + state);
    }
    values = List.copyOf(values);
    constraints = List.copyOf(constraints);
    metrics =
        metrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    if (state == TrialState.COMPLETE) {
      String problem = nonFinite("objective value", values);
      if (problem == null) {
        problem = nonFinite("constraint value", constraints);
      }
      if (problem != null) {
        state = TrialState.FAIL;
        reason = problem;
        values = List.of();
        constraints = List.of();
      }
    }
  }

  /**
   * Describes the first non-finite number in {@code values} (e.g. "objective value 2 is Infinity;
   * values must be finite numbers"), or returns {@code null} when all are finite.
   */
  public static @Nullable String nonFinite(String what, List<Double> values) {
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      if (!Double.isFinite(v)) {
        return what + " " + (i + 1) + " is " + v + "; " + FINITE_RULE;
      }
    }
    return null;
  }

  /** The rule that a fail reason for a non-finite value ends with. */
  public static final String FINITE_RULE = "objective and constraint values must be finite numbers";

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
