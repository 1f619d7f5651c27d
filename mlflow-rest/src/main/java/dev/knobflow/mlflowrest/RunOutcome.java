package dev.knobflow.mlflowrest;

import org.mlflow.api.proto.Service.RunStatus;

/** How a run ended, as MLflow records it. */
public enum RunOutcome {
  /** Completed normally (MLflow {@code FINISHED}). */
  FINISHED(RunStatus.FINISHED),
  /** Ended with an error (MLflow {@code FAILED}). */
  FAILED(RunStatus.FAILED),
  /** Stopped on purpose, e.g. pruned or cancelled (MLflow {@code KILLED}). */
  KILLED(RunStatus.KILLED);

  private final RunStatus status;

  RunOutcome(RunStatus status) {
    this.status = status;
  }

  /** The MLflow protocol status. */
  public RunStatus status() {
    return status;
  }
}
