package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a trial as it is in storage. Deeply immutable: every collection, also
 * the lists and maps inside attribute values and the intermediate values' lists, is copied into an
 * unmodifiable one, so a snapshot never changes after it is taken.
 *
 * @param number the trial's number in its study, assigned atomically by the storage
 * @param state the life-cycle state
 * @param values objective values in the study's objective order (empty unless COMPLETE or, for
 *     PRUNED trials, the last reported values)
 * @param params parameter values by name, in the order they were suggested
 * @param distributions each parameter's distribution
 * @param intermediateValues reported values by step
 * @param constraints constraint values; the trial is feasible when every value is {@code <= 0}
 * @param metrics extra metrics reported with the final values that are not objectives
 * @param userAttrs attributes set by the user
 * @param systemAttrs attributes set by Knobflow (sampler generation, grid index, fixed params...)
 * @param budget the resource a scheduler granted, or {@code NaN} when none was assigned
 * @param started when the trial started running, or {@code null}
 * @param completed when the trial finished, or {@code null}
 * @param heartbeat the last heartbeat, or {@code null}
 * @param failReason why the trial failed or was pruned, or {@code null}
 */
public record FrozenTrial(
    int number,
    TrialState state,
    List<Double> values,
    Map<String, Object> params,
    Map<String, Distribution> distributions,
    NavigableMap<Long, List<Double>> intermediateValues,
    List<Double> constraints,
    Map<String, Double> metrics,
    Map<String, Object> userAttrs,
    Map<String, Object> systemAttrs,
    double budget,
    @Nullable Instant started,
    @Nullable Instant completed,
    @Nullable Instant heartbeat,
    @Nullable String failReason) {

  public FrozenTrial {
    // Snapshots are taken on every state change, so empty collections are shared, not copied.
    values = List.copyOf(values);
    params = frozen(params);
    distributions = frozen(distributions);
    intermediateValues = frozenSteps(intermediateValues);
    constraints = List.copyOf(constraints);
    metrics = frozen(metrics);
    userAttrs = deeplyFrozen(userAttrs);
    systemAttrs = deeplyFrozen(systemAttrs);
  }

  // An earlier snapshot's maps (FrozenMap) are shared, not copied again.
  private static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return FrozenMap.of(map);
  }

  private static NavigableMap<Long, List<Double>> frozenSteps(
      NavigableMap<Long, List<Double>> steps) {
    if (steps.isEmpty()) {
      return Collections.emptyNavigableMap();
    }
    TreeMap<Long, List<Double>> copy = new TreeMap<>();
    steps.forEach((step, values) -> copy.put(step, List.copyOf(values)));
    return Collections.unmodifiableNavigableMap(copy);
  }

  /**
   * Attribute maps copied all the way down: the JSON-like values attributes hold (strings, numbers,
   * booleans, null, lists and maps of them) are immutable or copied into unmodifiable collections,
   * so no holder of a snapshot can change what another sees.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> deeplyFrozen(Map<String, Object> map) {
    return map.isEmpty() ? Map.of() : (Map<String, Object>) frozenValue(map);
  }

  private static Object frozenValue(Object value) {
    if (FrozenMap.isDeeplyFrozen(value)) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      LinkedHashMap<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, frozenValue(v)));
      return FrozenMap.ofDeepCopy(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object v : list) {
        copy.add(frozenValue(v));
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  /** The single objective value; fails for multi-objective trials or trials without values. */
  public double value() {
    if (values.size() != 1) {
      throw new IllegalStateException(
          "trial " + number + " has " + values.size() + " values, not exactly one");
    }
    return values.get(0);
  }

  /** A parameter's value, or empty. */
  public Optional<Object> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** The granted budget, if a scheduler assigned one. */
  public OptionalDouble budgetIfAssigned() {
    return Double.isNaN(budget) ? OptionalDouble.empty() : OptionalDouble.of(budget);
  }

  /** Whether every constraint value is {@code <= 0} (true when there are no constraints). */
  public boolean isFeasible() {
    for (double c : constraints) {
      if (!(c <= 0)) {
        return false;
      }
    }
    return true;
  }

  /** The sum of positive constraint values (0 when feasible). */
  public double totalViolation() {
    double sum = 0;
    for (double c : constraints) {
      sum += Double.isNaN(c) ? Double.POSITIVE_INFINITY : Math.max(0, c);
    }
    return sum;
  }

  /** The wall-clock duration, when started and completed are known. */
  public Optional<java.time.Duration> duration() {
    if (started == null || completed == null) {
      return Optional.empty();
    }
    return Optional.of(java.time.Duration.between(started, completed));
  }
}
