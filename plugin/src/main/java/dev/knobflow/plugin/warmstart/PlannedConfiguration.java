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
 * @param sourceTrial the number of the past trial it came from, or {@link PastTrial#UNKNOWN_NUMBER}
 */
public record PlannedConfiguration(
    Map<String, Object> params, String sourceStudy, double distance, int sourceTrial) {

  public PlannedConfiguration {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A configuration whose source trial's number is not known. */
  public PlannedConfiguration(Map<String, Object> params, String sourceStudy, double distance) {
    this(params, sourceStudy, distance, PastTrial.UNKNOWN_NUMBER);
  }

  /**
   * Where it came from, as {@code <study>/<trial>} (the value of {@link WarmStart#SOURCE_ATTR}), or
   * the study's name alone when the trial's number is not known.
   */
  public String source() {
    return sourceTrial == PastTrial.UNKNOWN_NUMBER ? sourceStudy : sourceStudy + "/" + sourceTrial;
  }
}
