package dev.knobflow.mlflowrest;

/** One buffered tracking write, in the order the caller made it. */
sealed interface PendingWrite {

  String runId();

  /** A metric point. */
  record Metric(String runId, String key, double value, long timestamp, long step)
      implements PendingWrite {}

  /** A param (write-once in MLflow). */
  record Param(String runId, String key, String value) implements PendingWrite {}

  /** A tag (last write wins). */
  record Tag(String runId, String key, String value) implements PendingWrite {}

  /** Ends the run after every earlier write for it. */
  record Terminate(String runId, RunOutcome outcome, long endTime) implements PendingWrite {}
}
