package dev.knobflow.advisor;

/** The kinds of action an {@link Advice} can carry. */
public enum ActionKind {
  /** Stop (prune) the trial that was diagnosed. */
  STOP_TRIAL,
  /** Restrict a numeric parameter's range for later trials. */
  SET_RANGE,
  /** Fix a parameter to one value for later trials. */
  FIX_VALUE,
  /** Nothing to do. */
  NONE
}
