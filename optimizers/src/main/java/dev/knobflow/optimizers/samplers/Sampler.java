package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.Map;

/**
 * Chooses parameter values. A sampler proposes a joint (relative) sample over the part of the space
 * it can model, and an independent value for any other parameter, including parameters first seen
 * define-by-run.
 *
 * <p>Samplers are stateless between calls: everything they need is derived from the trials in
 * storage (and the trial's number, which seeds per-trial randomness). That makes resume after a
 * crash and many concurrent workers correct by construction.
 */
public interface Sampler {

  /**
   * The part of the space to sample jointly for {@code trial}, typically the parameters every
   * completed trial shares. Empty by default.
   */
  default Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
    return Map.of();
  }

  /** A joint sample over {@code space}; parameters left out fall back to independent sampling. */
  default Map<String, Object> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    return Map.of();
  }

  /** A value for one parameter on its own. */
  Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution);

  /**
   * System attributes to store on a trial before it runs (a grid index, an NSGA-II generation).
   * Called once per trial after {@link #sampleRelative}.
   */
  default Map<String, Object> trialAttributes(
      StudyView study, FrozenTrial trial, Map<String, Object> relativeSample) {
    return Map.of();
  }

  /** Whether the sampler has nothing left to propose (a finished grid); stops {@code optimize}. */
  default boolean isExhausted(StudyView study) {
    return false;
  }

  /** A short description for logs and tracking tags, e.g. {@code random(seed=42)}. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
