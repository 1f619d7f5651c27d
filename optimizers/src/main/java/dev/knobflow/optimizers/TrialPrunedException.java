package dev.knobflow.optimizers;

/**
 * Thrown by an objective to stop its trial early, usually after {@link Trial#shouldPrune()}
 * answered true. The trial becomes PRUNED and keeps its last reported values.
 */
public final class TrialPrunedException extends RuntimeException {

  public TrialPrunedException(String reason) {
    super(reason, null, false, false);
  }

  public TrialPrunedException() {
    this("pruned by the scheduler");
  }
}
