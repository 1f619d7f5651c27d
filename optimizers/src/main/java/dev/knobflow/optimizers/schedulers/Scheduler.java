package dev.knobflow.optimizers.schedulers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import java.util.OptionalDouble;

/**
 * Decides, on each reported intermediate value, whether a trial continues, and grants budgets to
 * trials (successive halving, Hyperband, ASHA, BOHB brackets). Like samplers, schedulers derive
 * their decisions from the trials in storage.
 */
public interface Scheduler {

  /** Whether {@code trial}, which has just reported a value, should stop now. */
  boolean shouldPrune(StudyView study, FrozenTrial trial);

  /** The budget to grant a new trial, or empty when the scheduler does not assign budgets. */
  default OptionalDouble budgetFor(StudyView study, FrozenTrial trial) {
    return OptionalDouble.empty();
  }

  /** A short description for logs and tracking tags. */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** A scheduler that never prunes and assigns no budget. */
  static Scheduler none() {
    return NoScheduler.INSTANCE;
  }
}
