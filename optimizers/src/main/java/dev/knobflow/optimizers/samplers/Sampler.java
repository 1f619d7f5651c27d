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
   * System attribute: why the trial was sampled at random instead of from the sampler's model (a
   * {@link NumericalFailureException}'s reason). Absent when the model proposed the trial.
   */
  String FALLBACK_ATTR = "sampler_fallback";

  /**
   * The part of the space to sample jointly for {@code trial}, typically the parameters every
   * completed trial shares. Empty by default.
   */
  default Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
    return Map.of();
  }

  /**
   * What the sampler decides for {@code trial} before it runs: a joint sample over {@code space}
   * (parameters left out fall back to independent sampling) and the system attributes to store on
   * the trial (a grid index, an NSGA-II generation). Called once per trial, also when {@code space}
   * is empty, so that a sampler can attach attributes to every trial.
   *
   * @throws NumericalFailureException when the model cannot be built from the observations; the
   *     study then samples the trial independently and records the reason as {@link
   *     #FALLBACK_ATTR}. Any other exception is a bug and fails the trial's start.
   */
  default RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    return RelativeSample.empty();
  }

  /** A value for one parameter on its own. */
  Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution);

  /**
   * Whether the sampler proposes from a model of the observations (TPE, GP, CMA-ES, NSGA-II, BOHB's
   * KDE, {@code auto}): the study then keeps it from proposing a configuration already taken (see
   * {@link RepeatGuard}) unless the objective is declared noisy. False for random, Sobol and grid
   * sampling, which follow their own sequence.
   */
  default boolean modelBased() {
    return false;
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
