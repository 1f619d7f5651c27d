package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps studies in this process's memory: the fastest storage, lost when the process ends. */
public final class InMemoryStorage implements StudyStorage {

  private final StudyState state = new StudyState();

  /** A new, empty in-memory storage. */
  public static InMemoryStorage create() {
    return new InMemoryStorage();
  }

  private InMemoryStorage() {}

  @Override
  public synchronized StudyRecord createStudy(String name, List<Objective> objectives) {
    if (!state.hasStudy(name)) {
      StudyNames.check(name);
    }
    return state.createStudy(name, objectives, Instant.now());
  }

  @Override
  public synchronized Optional<StudyRecord> findStudy(String name) {
    return state.findStudy(name);
  }

  @Override
  public synchronized List<StudyRecord> studies() {
    return state.studies();
  }

  @Override
  public synchronized void setStudyAttr(String study, String key, Object value) {
    state.setStudyAttr(study, key, value);
  }

  @Override
  public synchronized FrozenTrial createTrial(
      String study, TrialState trialState, Map<String, Object> systemAttrs) {
    return state.createTrial(
        study, state.nextTrialNumber(study), trialState, systemAttrs, Instant.now());
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrial(String study) {
    return state.oldestWaiting(study).map(n -> state.claim(study, n, Instant.now()));
  }

  /** Kept as trials change: O(1). */
  @Override
  public synchronized int trialsOccupyingTarget(String study) {
    return state.trialsOccupyingTarget(study);
  }

  /** True: the check and the start run under the storage's lock. */
  @Override
  public boolean holdsTargetExactly() {
    return true;
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrialBelowTarget(
      String study, long target) {
    if (state.trialsOccupyingTarget(study) >= target) {
      return Optional.empty();
    }
    return claimWaitingTrial(study);
  }

  @Override
  public synchronized Optional<FrozenTrial> createTrialBelowTarget(
      String study, long target, Map<String, Object> systemAttrs) {
    if (state.trialsOccupyingTarget(study) >= target) {
      return Optional.empty();
    }
    return Optional.of(createTrial(study, TrialState.RUNNING, systemAttrs));
  }

  @Override
  public synchronized void setParam(
      String study, int number, String name, Distribution distribution, Object value) {
    state.setParam(study, number, name, distribution, value);
  }

  @Override
  public synchronized void reportIntermediate(
      String study, int number, long step, List<Double> values) {
    state.reportIntermediate(study, number, step, values);
  }

  @Override
  public synchronized void setUserAttr(String study, int number, String key, Object value) {
    state.setUserAttr(study, number, key, value);
  }

  @Override
  public synchronized void setSystemAttr(String study, int number, String key, Object value) {
    state.setSystemAttr(study, number, key, value);
  }

  @Override
  public synchronized void setBudget(String study, int number, double budget) {
    state.setBudget(study, number, budget);
  }

  @Override
  public synchronized void heartbeat(String study, int number, Instant at) {
    state.heartbeat(study, number, at);
  }

  @Override
  public synchronized FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    return state.finishTrial(study, number, outcome);
  }

  @Override
  public synchronized FrozenTrial trial(String study, int number) {
    return state.trialSnapshot(study, number);
  }

  @Override
  public synchronized List<FrozenTrial> trials(String study) {
    return state.trials(study);
  }

  @Override
  public synchronized int trialCount(String study) {
    return state.trialCount(study);
  }
}
