package dev.knobflow.plugin.importance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The importance of each parameter for one objective, most important first; the values sum to 1 (or
 * are all 0 when no parameter changes the objective's top quantile).
 *
 * @param objective the objective's name
 * @param byParam parameter name -> importance in [0, 1], sorted by decreasing importance
 * @param trials how many completed trials the estimate used
 */
public record Importances(String objective, Map<String, Double> byParam, int trials) {

  public Importances {
    Objects.requireNonNull(objective, "objective");
    LinkedHashMap<String, Double> sorted = new LinkedHashMap<>();
    byParam.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    byParam = Collections.unmodifiableMap(sorted);
  }

  /** The importance of {@code param}; 0 for a parameter the estimate did not include. */
  public double of(String param) {
    return byParam.getOrDefault(param, 0.0);
  }
}
