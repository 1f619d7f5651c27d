package dev.knobflow.optimizers;

/** The life cycle of a trial. */
public enum TrialState {
  /** Enqueued with fixed parameters, not started yet. */
  WAITING,
  /** Being evaluated. */
  RUNNING,
  /** Finished with objective values. */
  COMPLETE,
  /** Stopped early by a scheduler; its last reported values are kept. */
  PRUNED,
  /** The objective threw, returned NaN, timed out or was interrupted. */
  FAIL;

  /** Whether the state is final: a finished trial can never be finished again. */
  public boolean isFinished() {
    return this == COMPLETE || this == PRUNED || this == FAIL;
  }
}
