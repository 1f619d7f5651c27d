package dev.knobflow.optimizers.schedulers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import java.util.Map;
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

  /**
   * System attributes for the trial about to be created, stored atomically with its creation. A
   * claim made here (such as "this trial continues trial 7") is therefore ordered by trial number:
   * when two workers claim the same thing, every reader agrees the lower-numbered trial made it
   * first. Not called for enqueued trials. Empty by default.
   */
  default Map<String, Object> creationAttributes(StudyView study) {
    return Map.of();
  }

  /**
   * System attributes to set on a trial that was just created, before its parameters are chosen; a
   * {@code fixed_params} entry (a map) fixes parameters, as for enqueued trials. Schedulers use it
   * to confirm or withdraw the claim made in {@link #creationAttributes}. Empty by default.
   */
  default Map<String, Object> trialAttributes(StudyView study, FrozenTrial trial) {
    return Map.of();
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
