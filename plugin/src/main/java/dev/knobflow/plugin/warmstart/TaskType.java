package dev.knobflow.plugin.warmstart;

/** Whether a dataset's target holds classes or continuous values. */
public enum TaskType {
  /** A non-numeric target, or a numeric one with few distinct integral values. */
  CLASSIFICATION,
  /** Any other numeric target. */
  REGRESSION
}
