package dev.knobflow.optimizers.samplers;

/**
 * A sampler's model cannot be built from the observations: a kernel matrix that is not positive
 * definite even with jitter, targets that are all equal, inputs that are all the same, values the
 * model cannot represent. The one exception a study answers by sampling the trial at random; it
 * records the reason as the trial's {@link Sampler#FALLBACK_ATTR} system attribute. Every other
 * exception from a sampler is a bug and propagates.
 */
public final class NumericalFailureException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure with the reason to record on the trial. */
  public NumericalFailureException(String reason) {
    super(reason, null, false, false);
  }
}
