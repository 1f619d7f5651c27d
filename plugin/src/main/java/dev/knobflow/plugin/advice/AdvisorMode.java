package dev.knobflow.plugin.advice;

/** What the advisor may do with its advice. */
public enum AdvisorMode {
  /** Diagnose, ask and write reports; change nothing. */
  REPORT,
  /** Also act: prune the trial on a stop action and narrow ranges for later trials. */
  APPLY
}
