package dev.knobflow.mlflowrest;

/** Tag keys with a meaning in the MLflow UI. */
public final class MlflowTags {

  /** Links a child run to its parent; the UI nests it. */
  public static final String PARENT_RUN_ID = "mlflow.parentRunId";

  /** The run's Markdown description shown in the UI. */
  public static final String NOTE = "mlflow.note.content";

  /** The run's display name. */
  public static final String RUN_NAME = "mlflow.runName";

  private MlflowTags() {}
}
