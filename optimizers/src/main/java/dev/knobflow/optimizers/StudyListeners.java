package dev.knobflow.optimizers;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A study instance's listeners, told of each event in order; a listener that throws is logged and
 * skipped, so it never stops a trial or the other listeners. Snapshots are only taken when there is
 * a listener to see them.
 */
final class StudyListeners {

  private static final Logger LOG = LoggerFactory.getLogger(Study.class);

  private final Study study;
  private final List<StudyListener> listeners;

  StudyListeners(Study study, List<StudyListener> listeners) {
    this.study = study;
    this.listeners = List.copyOf(listeners);
  }

  void trialStarted(Trial trial) {
    if (!listeners.isEmpty()) {
      FrozenTrial startedView = trial.snapshot();
      for (StudyListener listener : listeners) {
        safely(() -> listener.trialStarted(study, startedView));
      }
    }
  }

  void intermediateValueReported(Supplier<FrozenTrial> trial, long step, List<Double> values) {
    if (!listeners.isEmpty()) {
      FrozenTrial current = trial.get();
      for (StudyListener listener : listeners) {
        safely(() -> listener.intermediateValueReported(study, current, step, values));
      }
    }
  }

  void trialFinished(FrozenTrial finished) {
    for (StudyListener listener : listeners) {
      safely(() -> listener.trialFinished(study, finished));
    }
  }

  void studyFinished() {
    for (StudyListener listener : listeners) {
      safely(() -> listener.studyFinished(study));
    }
  }

  /** Runs {@code action}, logging instead of throwing when it fails. */
  static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("a study listener failed: {}", e.toString());
      LOG.debug("the listener's stack trace", e);
    }
  }
}
