package dev.knobflow.mlflowrest;

/** How a run ended, as MLflow records it. */
public enum RunOutcome {
  /** Completed normally (MLflow {@code FINISHED}). */
  FINISHED,
  /** Ended with an error (MLflow {@code FAILED}). */
  FAILED,
  /** Stopped on purpose, e.g. pruned or cancelled (MLflow {@code KILLED}). */
  KILLED;

  /** The MLflow protocol status, as the REST API spells it. */
  public String status() {
    return name();
  }
}
