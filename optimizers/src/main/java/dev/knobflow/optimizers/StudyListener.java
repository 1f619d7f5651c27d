package dev.knobflow.optimizers;

import java.util.List;

/**
 * Hears what happens in a study. Tracking, energy metering and the advisor attach here. Callbacks
 * run on the thread that evaluates the trial; they must be thread-safe when trials run in parallel.
 * An exception thrown by a listener is logged and does not fail the trial.
 */
public interface StudyListener {

  /** A trial started running; {@code trial} holds the parameters known so far. */
  default void trialStarted(StudyView study, FrozenTrial trial) {}

  /** A trial reported an intermediate value (one value per objective). */
  default void intermediateValueReported(
      StudyView study, FrozenTrial trial, long step, List<Double> values) {}

  /** A trial finished (COMPLETE, PRUNED or FAIL). */
  default void trialFinished(StudyView study, FrozenTrial trial) {}

  /** An {@code optimize} call finished. */
  default void studyFinished(StudyView study) {}
}
