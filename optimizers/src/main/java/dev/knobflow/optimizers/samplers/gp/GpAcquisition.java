package dev.knobflow.optimizers.samplers.gp;

/** The single-objective acquisition functions {@link GpSampler} can maximise. */
public enum GpAcquisition {
  /** Expected improvement, computed in log space (like Optuna's logEI). The default. */
  EI,
  /** Upper confidence bound {@code kappa sd - mean} in minimisation form. */
  UCB,
  /** Probability of improvement, in log space. */
  PI
}
