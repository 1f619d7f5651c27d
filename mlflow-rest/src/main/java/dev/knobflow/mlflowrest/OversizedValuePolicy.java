package dev.knobflow.mlflowrest;

/** What to do with a param or tag value longer than MLflow accepts. */
public enum OversizedValuePolicy {
  /** Cut the value to the limit, ending it with {@link MlflowLimits#TRUNCATION_MARKER}. */
  TRUNCATE,
  /** Refuse it at the logging call with an {@link IllegalArgumentException}. */
  REJECT
}
