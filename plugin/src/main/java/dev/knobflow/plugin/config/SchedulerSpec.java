package dev.knobflow.plugin.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code scheduler} section of a study file: a type ({@code none}, a pruner or a bracket
 * scheduler) and its settings, validated by {@link SchedulerSection}.
 *
 * @param type e.g. {@code median}, {@code hyperband}, {@code bohb}
 * @param settings the other keys of the section as parsed from YAML
 */
public record SchedulerSpec(String type, Map<String, Object> settings) {

  public SchedulerSpec {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** No scheduler: every trial runs to its end, without a budget. The default. */
  public static SchedulerSpec none() {
    return new SchedulerSpec("none", Map.of());
  }

  /** Whether this is BOHB, whose sampler is built together with the scheduler. */
  public boolean isBohb() {
    return "bohb".equals(type);
  }
}
