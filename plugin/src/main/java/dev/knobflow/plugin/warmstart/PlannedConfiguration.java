package dev.knobflow.plugin.warmstart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration to enqueue, already fitted to the current search space.
 *
 * @param params parameter values inside the current space (parameters absent here are left to the
 *     sampler)
 * @param sourceStudy the past study it came from
 * @param distance that study's meta-feature distance
 */
public record PlannedConfiguration(
    Map<String, Object> params, String sourceStudy, double distance) {

  public PlannedConfiguration {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
