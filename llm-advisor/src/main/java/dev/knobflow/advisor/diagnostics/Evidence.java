package dev.knobflow.advisor.diagnostics;

import java.util.Map;
import java.util.TreeMap;

/**
 * What decided a diagnosis: the rule, the window of point indices it looked at, the thresholds it
 * used and the values it measured.
 *
 * @param rule rule name, e.g. {@code non_finite}, {@code spike}, {@code plateau_std}
 * @param windowStart index of the first point the rule looked at (inclusive)
 * @param windowEnd index of the last point the rule looked at (inclusive)
 * @param thresholds the configured thresholds the rule compared against, by name
 * @param measured the values the rule measured, by name
 * @param explanation one sentence in plain words
 */
public record Evidence(
    String rule,
    int windowStart,
    int windowEnd,
    Map<String, Double> thresholds,
    Map<String, Double> measured,
    String explanation) {

  /** Copies the maps into sorted, unmodifiable maps. */
  public Evidence {
    thresholds = java.util.Collections.unmodifiableMap(new TreeMap<>(thresholds));
    measured = java.util.Collections.unmodifiableMap(new TreeMap<>(measured));
  }
}
