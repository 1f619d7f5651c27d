package dev.knobflow.advisor.diagnostics;

/** The shape of a trial's learning curve. */
public enum DiagnosisKind {
  /** Non-finite values, sustained spikes, or the progress made so far was lost. */
  DIVERGING,
  /** Repeated up-and-down swings without net progress. */
  OSCILLATING,
  /** The last values barely move. */
  PLATEAU,
  /**
   * After a warm-up, clearly worse than the completed trials were at the same step (median
   * stopping): the curve may be fine, the configuration is not.
   */
  UNDERPERFORMING,
  /** None of the rules fired (including curves too short to judge). */
  HEALTHY
}
