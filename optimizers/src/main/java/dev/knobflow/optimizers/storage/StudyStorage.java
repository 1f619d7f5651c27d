package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.distributions.Distribution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The only place study state lives. Implementations must be safe for concurrent use by the threads
 * of one process; the journal and MLflow storages are also safe for several processes.
 *
 * <p>Guarantees every implementation keeps: trial numbers are assigned atomically and never shared;
 * a finished trial can never be finished again ({@link TrialAlreadyFinishedException}); a WAITING
 * trial is claimed by exactly one worker.
 */
public interface StudyStorage extends AutoCloseable {

  /** Creates a study, or returns the existing one of that name if its objectives are the same. */
  StudyRecord createStudy(String name, List<Objective> objectives);

  /** The study of that name, if it exists. */
  Optional<StudyRecord> findStudy(String name);

  /** Every study in creation order. */
  List<StudyRecord> studies();

  /** Sets a study-level attribute (sampler, seed, dataset meta-features...). */
  void setStudyAttr(String study, String key, Object value);

  /**
   * Creates a trial with the next free number.
   *
   * @param state RUNNING for a trial a worker starts now, WAITING for an enqueued one
   * @param systemAttrs initial system attributes (for WAITING trials: the fixed parameters)
   */
  FrozenTrial createTrial(String study, TrialState state, Map<String, Object> systemAttrs);

  /** Atomically moves the oldest WAITING trial to RUNNING and returns it, or empty if none. */
  Optional<FrozenTrial> claimWaitingTrial(String study);

  /** Records a parameter's value and distribution on a RUNNING trial. */
  void setParam(String study, int number, String name, Distribution distribution, Object value);

  /**
   * Records several parameters of a RUNNING trial, in the map's order, with the same checks as
   * {@link #setParam} for each. The engine calls it with the parameters it knows together (the
   * declared space); a shared storage may write them in one round trip. Not atomic: on an error
   * some parameters may be recorded and the rest not, as with {@link #setParam} called in a loop,
   * which is what the default does.
   */
  default void setParams(String study, int number, Map<String, ParamValue> params) {
    for (Map.Entry<String, ParamValue> e : params.entrySet()) {
      setParam(study, number, e.getKey(), e.getValue().distribution(), e.getValue().value());
    }
  }

  /** Records an intermediate value vector at a step of a RUNNING trial. */
  void reportIntermediate(String study, int number, long step, List<Double> values);

  /** Sets a user attribute. */
  void setUserAttr(String study, int number, String key, Object value);

  /** Sets a system attribute. */
  void setSystemAttr(String study, int number, String key, Object value);

  /** Records the budget a scheduler granted. */
  void setBudget(String study, int number, double budget);

  /** Records that a RUNNING trial's worker is alive. */
  void heartbeat(String study, int number, Instant at);

  /**
   * Finishes a trial. Durable when it returns (the journal fsyncs).
   *
   * @throws TrialAlreadyFinishedException if the trial is already finished
   */
  FrozenTrial finishTrial(String study, int number, TrialOutcome outcome);

  /** One trial. */
  FrozenTrial trial(String study, int number);

  /** Every trial of a study in number order. */
  List<FrozenTrial> trials(String study);

  /**
   * Every trial of a study in number order as the storage holds it at this moment, bypassing any
   * read cache that {@link #trials} may answer from (a decision shared by every worker, such as the
   * study-wide trial target, reads this). The default is {@link #trials}, for storages that always
   * read through.
   */
  default List<FrozenTrial> currentTrials(String study) {
    return trials(study);
  }

  /**
   * How many trials of the study occupy its trial target ({@link TrialTarget#occupies}): RUNNING,
   * COMPLETE and PRUNED trials, and FAIL ones unless their worker stopped under them (a stale or
   * interrupted fail reason, {@link TrialTarget#abandoned}); WAITING trials do not. Read as the
   * storage holds it at this moment, like {@link #currentTrials}.
   *
   * <p>The default filters {@link #currentTrials}, which reads every trial; the in-memory, journal
   * and PostgreSQL storages answer without reading the trials into this process.
   */
  default int trialsOccupyingTarget(String study) {
    return (int) currentTrials(study).stream().filter(TrialTarget::occupies).count();
  }

  /**
   * Whether {@link #claimWaitingTrialBelowTarget} and {@link #createTrialBelowTarget} check the
   * target and start the trial in one atomic step for every worker of the storage, in this process
   * and in others, so that workers racing for the last places end exactly at the target. False by
   * default: the default methods check and then start, and a worker of another process may start a
   * trial in between.
   */
  default boolean holdsTargetExactly() {
    return false;
  }

  /**
   * {@link #claimWaitingTrial} only while fewer than {@code target} trials {@linkplain
   * #trialsOccupyingTarget occupy the target}: the claimed trial takes a place. Empty when the
   * target is reached or no trial is waiting. Atomic where {@link #holdsTargetExactly}.
   */
  default Optional<FrozenTrial> claimWaitingTrialBelowTarget(String study, long target) {
    if (trialsOccupyingTarget(study) >= target) {
      return Optional.empty();
    }
    return claimWaitingTrial(study);
  }

  /**
   * {@link #createTrial} of a RUNNING trial only while fewer than {@code target} trials {@linkplain
   * #trialsOccupyingTarget occupy the target}; empty when the target is reached. Atomic where
   * {@link #holdsTargetExactly}.
   *
   * @param systemAttrs the new trial's initial system attributes
   */
  default Optional<FrozenTrial> createTrialBelowTarget(
      String study, long target, Map<String, Object> systemAttrs) {
    if (trialsOccupyingTarget(study) >= target) {
      return Optional.empty();
    }
    return Optional.of(createTrial(study, TrialState.RUNNING, systemAttrs));
  }

  /** The trials in the given states, in number order. */
  default List<FrozenTrial> trials(String study, Set<TrialState> states) {
    return trials(study).stream().filter(t -> states.contains(t.state())).toList();
  }

  /** The number of trials of a study. */
  default int trialCount(String study) {
    return trials(study).size();
  }

  /**
   * Marks RUNNING trials whose last heartbeat (or start, if none) is older than {@code grace} as
   * FAIL, and returns them.
   */
  default List<FrozenTrial> failStaleTrials(String study, Duration grace, Instant now) {
    List<FrozenTrial> failed = new java.util.ArrayList<>();
    for (FrozenTrial t : trials(study, Set.of(TrialState.RUNNING))) {
      Instant last = t.heartbeat() != null ? t.heartbeat() : t.started();
      if (last != null && last.plus(grace).isBefore(now)) {
        try {
          failed.add(
              finishTrial(
                  study,
                  t.number(),
                  TrialOutcome.failed(
                      "stale: no heartbeat since " + last + " (grace " + grace + ")", now)));
        } catch (TrialAlreadyFinishedException raced) {
          // Another worker finished it in the meantime: nothing to do.
        }
      }
    }
    return failed;
  }

  /** Releases files, locks and connections. */
  @Override
  default void close() {}
}
