package dev.knobflow.optimizers.samplers;

/** The sampler has nothing left to propose, such as a grid whose points are all taken. */
public final class SamplerExhaustedException extends RuntimeException {

  public SamplerExhaustedException(String message) {
    super(message);
  }
}
