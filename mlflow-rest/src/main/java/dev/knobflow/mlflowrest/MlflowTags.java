package dev.knobflow.mlflowrest;

/** Tag keys with a meaning in the MLflow UI. */
public final class MlflowTags {

  /** Links a child run to its parent; the UI nests it. */
  public static final String PARENT_RUN_ID = "mlflow.parentRunId";

  /** The run's Markdown description shown in the UI. */
  public static final String NOTE = "mlflow.note.content";

  /** The run's display name. */
  public static final String RUN_NAME = "mlflow.runName";

  /**
   * Experiment tag: what kind of work the experiment holds. MLflow 3's UI reads it (3.17: {@code
   * mlflow.experimentKind}) to choose the page an experiment opens on; without it the UI guesses,
   * and for runs without traces guesses the GenAI overview.
   */
  public static final String EXPERIMENT_KIND = "mlflow.experimentKind";

  /** {@link #EXPERIMENT_KIND} of model training: the experiment opens on its runs. */
  public static final String EXPERIMENT_KIND_TRAINING = "custom_model_development";

  private MlflowTags() {}
}
