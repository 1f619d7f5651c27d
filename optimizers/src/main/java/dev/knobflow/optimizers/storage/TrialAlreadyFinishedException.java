package dev.knobflow.optimizers.storage;

/** A trial that is already COMPLETE, PRUNED or FAIL was changed or finished again. */
public final class TrialAlreadyFinishedException extends IllegalStateException {

  public TrialAlreadyFinishedException(String study, int number, Object state) {
    super("trial " + number + " of study '" + study + "' is already finished (" + state + ")");
  }
}
