package dev.knobflow.plugin.mlflow;

import java.util.Locale;

/** What warm start does with past configurations ({@code warm_start.use}). */
public enum WarmStartUse {
  /** Enqueue them as the first trials of a new study (re-evaluated); the default. */
  ENQUEUE,
  /** Hand them with their past values to a model-based sampler as prior observations. */
  PRIOR,
  /** Both. */
  BOTH;

  /** Whether configurations are enqueued. */
  public boolean enqueues() {
    return this != PRIOR;
  }

  /** Whether configurations become prior observations. */
  public boolean priors() {
    return this != ENQUEUE;
  }

  /** The study-file spelling. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
