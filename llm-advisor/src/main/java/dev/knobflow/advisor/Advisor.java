package dev.knobflow.advisor;

/** Turns a diagnosed trial into {@link Advice}. Implementations never throw for bad advice. */
public interface Advisor {

  /**
   * @param request the trial, its diagnosis and the study context
   * @return validated advice
   */
  Advice advise(AdviceRequest request);
}
