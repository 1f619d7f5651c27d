package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.distributions.Distribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory model of every study and trial, with the rules that keep it consistent. Not
 * thread-safe: {@link InMemoryStorage} and {@link JournalStorage} guard it. Snapshots are cached
 * per trial until the trial changes, so reading all trials costs a list copy.
 */
final class StudyState {

  private final Map<String, StudyData> studies = new LinkedHashMap<>();

  StudyRecord createStudy(String name, List<Objective> objectives, Instant at) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("study name must not be blank");
    }
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("study '" + name + "': declare at least one objective");
    }
    StudyData existing = studies.get(name);
    if (existing != null) {
      if (!existing.objectives.equals(objectives)) {
        throw new IllegalArgumentException(
            "study '"
                + name
                + "' already exists with objectives "
                + existing.objectives
                + ", not "
                + objectives);
      }
      return existing.record();
    }
    StudyData data = new StudyData(name, List.copyOf(objectives), at);
    studies.put(name, data);
    return data.record();
  }

  boolean hasStudy(String name) {
    return studies.containsKey(name);
  }

  Optional<StudyRecord> findStudy(String name) {
    StudyData data = studies.get(name);
    return data == null ? Optional.empty() : Optional.of(data.record());
  }

  List<StudyRecord> studies() {
    return studies.values().stream().map(StudyData::record).toList();
  }

  void setStudyAttr(String study, String key, Object value) {
    StudyData data = study(study);
    data.attrs.put(key, value);
    data.cached = null;
  }

  int nextTrialNumber(String study) {
    return study(study).trials.size();
  }

  FrozenTrial createTrial(
      String study, int number, TrialState state, Map<String, Object> systemAttrs, Instant at) {
    StudyData data = study(study);
    if (number != data.trials.size()) {
      throw new IllegalStateException(
          "study '" + study + "': trial number " + number + " is not the next free number");
    }
    if (state != TrialState.RUNNING && state != TrialState.WAITING) {
      throw new IllegalArgumentException("a new trial is RUNNING or WAITING, not " + state);
    }
    MutableTrial trial = new MutableTrial(number, state);
    if (!systemAttrs.isEmpty()) {
      trial.systemAttrs().putAll(systemAttrs);
    }
    if (state == TrialState.RUNNING) {
      trial.started = at;
    }
    data.trials.add(trial);
    if (state == TrialState.WAITING) {
      data.waiting.add(number);
    } else {
      data.occupying++;
    }
    return trial.snapshot();
  }

  Optional<Integer> oldestWaiting(String study) {
    java.util.TreeSet<Integer> waiting = study(study).waiting;
    return waiting.isEmpty() ? Optional.empty() : Optional.of(waiting.first());
  }

  FrozenTrial claim(String study, int number, Instant at) {
    MutableTrial t = trial(study, number);
    if (t.state != TrialState.WAITING) {
      throw new IllegalStateException(
          "trial " + number + " of study '" + study + "' is " + t.state + ", not WAITING");
    }
    t.state = TrialState.RUNNING;
    t.started = at;
    study(study).waiting.remove(number);
    study(study).occupying++;
    t.changed(0);
    return t.snapshot();
  }

  void setParam(String study, int number, String name, Distribution distribution, Object value) {
    MutableTrial t = running(study, number);
    StorageRules.requireSameDistribution(number, name, t.distributions.get(name), distribution);
    t.distributions.put(name, distribution);
    t.params.put(name, value);
    t.changed(MutableTrial.PARAMS);
  }

  void reportIntermediate(String study, int number, long step, List<Double> values) {
    MutableTrial t = running(study, number);
    t.intermediate().put(step, List.copyOf(values));
    t.changed(MutableTrial.STEPS);
  }

  void setUserAttr(String study, int number, String key, Object value) {
    MutableTrial t = trial(study, number);
    t.userAttrs().put(key, value);
    t.changed(MutableTrial.USER_ATTRS);
  }

  void setSystemAttr(String study, int number, String key, Object value) {
    MutableTrial t = trial(study, number);
    t.systemAttrs().put(key, value);
    t.changed(MutableTrial.SYSTEM_ATTRS);
  }

  void setBudget(String study, int number, double budget) {
    MutableTrial t = trial(study, number);
    t.budget = budget;
    t.changed(0);
  }

  void heartbeat(String study, int number, Instant at) {
    MutableTrial t = trial(study, number);
    if (t.state == TrialState.RUNNING) {
      t.heartbeat = at;
      t.changed(0);
    }
  }

  /** Throws if the trial cannot be finished; does not change anything. */
  void checkFinishable(String study, int number, TrialOutcome outcome) {
    MutableTrial t = trial(study, number);
    if (t.state.isFinished()) {
      throw new TrialAlreadyFinishedException(study, number, t.state);
    }
    if (outcome.state() == TrialState.COMPLETE
        && outcome.values().size() != study(study).objectives.size()) {
      throw new IllegalArgumentException(
          "trial "
              + number
              + " of study '"
              + study
              + "' has "
              + outcome.values().size()
              + " values but the study has "
              + study(study).objectives.size()
              + " objectives");
    }
  }

  FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    checkFinishable(study, number, outcome);
    MutableTrial t = trial(study, number);
    StudyData data = study(study);
    if (TrialTarget.occupies(t.state, t.failReason)) {
      data.occupying--;
    }
    if (TrialTarget.occupies(outcome.state(), outcome.reason())) {
      data.occupying++;
    }
    t.state = outcome.state();
    t.values = outcome.values();
    t.constraints = outcome.constraints();
    if (!outcome.metrics().isEmpty()) {
      t.metrics().putAll(outcome.metrics());
    }
    t.failReason = outcome.reason();
    t.completed = outcome.at();
    if (t.started == null) {
      t.started = outcome.at();
    }
    data.waiting.remove(number);
    t.changed(MutableTrial.METRICS);
    return t.finished();
  }

  FrozenTrial trialSnapshot(String study, int number) {
    return trial(study, number).snapshot();
  }

  List<FrozenTrial> trials(String study) {
    List<MutableTrial> list = study(study).trials;
    List<FrozenTrial> out = new ArrayList<>(list.size());
    for (MutableTrial t : list) {
      out.add(t.snapshot());
    }
    return Collections.unmodifiableList(out);
  }

  int trialCount(String study) {
    return study(study).trials.size();
  }

  /**
   * How many trials occupy the study's trial target ({@link TrialTarget#occupies}), kept as trials
   * are created, claimed and finished: O(1).
   */
  int trialsOccupyingTarget(String study) {
    return study(study).occupying;
  }

  private StudyData study(String name) {
    StudyData data = studies.get(name);
    if (data == null) {
      throw new NoSuchElementException("no study named '" + name + "'");
    }
    return data;
  }

  private MutableTrial trial(String study, int number) {
    List<MutableTrial> list = study(study).trials;
    if (number < 0 || number >= list.size()) {
      throw new NoSuchElementException("study '" + study + "' has no trial " + number);
    }
    return list.get(number);
  }

  private MutableTrial running(String study, int number) {
    MutableTrial t = trial(study, number);
    if (t.state.isFinished()) {
      throw new TrialAlreadyFinishedException(study, number, t.state);
    }
    return t;
  }

  private static final class StudyData {
    final String name;
    final List<Objective> objectives;
    final Map<String, Object> attrs = new LinkedHashMap<>();
    final Instant created;
    final List<MutableTrial> trials = new ArrayList<>();
    final java.util.TreeSet<Integer> waiting = new java.util.TreeSet<>();
    // The trials that occupy the trial target (TrialTarget.occupies), kept as they change.
    int occupying;
    StudyRecord cached;

    StudyData(String name, List<Objective> objectives, Instant created) {
      this.name = name;
      this.objectives = objectives;
      this.created = created;
    }

    StudyRecord record() {
      if (cached == null) {
        cached = new StudyRecord(name, objectives, attrs, created);
      }
      return cached;
    }
  }

  private static final class MutableTrial {
    final int number;
    TrialState state;
    List<Double> values = List.of();
    // Written while the trial runs; a finished trial keeps its snapshot's frozen copies instead.
    Map<String, Object> params = new LinkedHashMap<>();
    Map<String, Distribution> distributions = new LinkedHashMap<>();
    List<Double> constraints = List.of();
    // Created on the first write: most trials have no intermediate values, metrics or attributes.
    private NavigableMap<Long, List<Double>> intermediate = Collections.emptyNavigableMap();
    private Map<String, Double> metrics = Map.of();
    private Map<String, Object> userAttrs = Map.of();
    private Map<String, Object> systemAttrs = Map.of();
    double budget = Double.NaN;
    Instant started;
    Instant completed;
    Instant heartbeat;
    String failReason;
    // The current snapshot, or null after a change; the last one built, whose unchanged maps the
    // next snapshot shares instead of copying them again (see dirty).
    FrozenTrial cached;
    FrozenTrial last;
    int dirty;

    // The collection fields changed since the last snapshot, as bits of dirty.
    static final int PARAMS = 1;
    static final int STEPS = 2;
    static final int METRICS = 4;
    static final int USER_ATTRS = 8;
    static final int SYSTEM_ATTRS = 16;

    MutableTrial(int number, TrialState state) {
      this.number = number;
      this.state = state;
    }

    NavigableMap<Long, List<Double>> intermediate() {
      if (!(intermediate instanceof TreeMap)) {
        intermediate = new TreeMap<>(intermediate);
      }
      return intermediate;
    }

    Map<String, Double> metrics() {
      if (!(metrics instanceof LinkedHashMap)) {
        metrics = new LinkedHashMap<>(metrics);
      }
      return metrics;
    }

    Map<String, Object> userAttrs() {
      if (!(userAttrs instanceof LinkedHashMap)) {
        userAttrs = new LinkedHashMap<>(userAttrs);
      }
      return userAttrs;
    }

    Map<String, Object> systemAttrs() {
      if (!(systemAttrs instanceof LinkedHashMap)) {
        systemAttrs = new LinkedHashMap<>(systemAttrs);
      }
      return systemAttrs;
    }

    /**
     * The snapshot of a trial that just finished. What cannot change any more (parameters,
     * distributions, intermediate values, metrics) is kept only in the snapshot's frozen copies
     * from now on, so a finished trial does not hold it twice.
     */
    FrozenTrial finished() {
      FrozenTrial snapshot = snapshot();
      params = snapshot.params();
      distributions = snapshot.distributions();
      intermediate = snapshot.intermediateValues();
      metrics = snapshot.metrics();
      return snapshot;
    }

    /** Drops the cached snapshot; {@code fields}: the collection fields that changed. */
    void changed(int fields) {
      cached = null;
      dirty |= fields;
    }

    FrozenTrial snapshot() {
      if (cached == null) {
        FrozenTrial prev = last;
        boolean all = prev == null;
        cached =
            new FrozenTrial(
                number,
                state,
                values,
                all || (dirty & PARAMS) != 0 ? params : prev.params(),
                all || (dirty & PARAMS) != 0 ? distributions : prev.distributions(),
                all || (dirty & STEPS) != 0 ? intermediate : prev.intermediateValues(),
                constraints,
                all || (dirty & METRICS) != 0 ? metrics : prev.metrics(),
                all || (dirty & USER_ATTRS) != 0 ? userAttrs : prev.userAttrs(),
                all || (dirty & SYSTEM_ATTRS) != 0 ? systemAttrs : prev.systemAttrs(),
                budget,
                started,
                completed,
                heartbeat,
                failReason);
        last = cached;
        dirty = 0;
      }
      return cached;
    }
  }
}
