package dev.knobflow.plugin.mlflow.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunOutcome;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.mlflowrest.WriterOptions;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.optimizers.storage.StorageRules;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps studies on an MLflow tracking server, so that workers on different machines can share one
 * study. A study is a run tagged {@code knobflow.kind=study}; each trial is a child run of it. The
 * runs are the state: there is no other database and no lock server.
 *
 * <p>MLflow has no compare-and-set on tags, but params are write-once: every one-time decision is
 * the logging of a param, which only one value can win. Trial numbers are claimed as params of the
 * study run ({@link TrialNumbering}); finishing a trial and claiming a WAITING one are params of
 * the trial run, logged in the same request as the outcome. A trial's own writes are held briefly
 * so that a short trial costs about four requests. See {@code docs/mlflow-storage.md} for the
 * protocol and its guarantees.
 *
 * <pre>{@code
 * try (MlflowStudyStorage storage =
 *     MlflowStudyStorage.open(MlflowConnection.fromEnvironment(System.getenv()), "knobflow")) {
 *   Study study = Study.builder("resnet").storage(storage).objectives(...).build();
 *   study.optimize(objective, OptimizeOptions.trials(100).withParallelism(4));
 * }
 * }</pre>
 *
 * <p>Thread-safe (one lock per storage; objectives run outside it).
 */
public final class MlflowStudyStorage implements StudyStorage {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowStudyStorage.class);

  /** The experiment studies go to when none is named. */
  public static final String DEFAULT_EXPERIMENT = "knobflow";

  private final MlflowTracking tracking;
  private final boolean ownsTracking;
  private final ServerCalls server;
  private final TrialNumbering numbering;
  private final @Nullable ScheduledExecutorService releaser;
  private final String experimentName;
  private final MlflowStorageOptions options;
  private final String workerId = UUID.randomUUID().toString();
  private @Nullable String experimentId;
  private final Map<String, StudyCache> studies = new HashMap<>();

  /** Trials whose writes are held (see {@link HeldWrites}). */
  private final Set<TrialEntry> withHeld = new LinkedHashSet<>();

  private MlflowStudyStorage(
      MlflowTracking tracking,
      boolean ownsTracking,
      String experimentName,
      MlflowStorageOptions options) {
    this.tracking = tracking;
    this.ownsTracking = ownsTracking;
    this.experimentName = requireText("experiment", experimentName);
    this.options = Objects.requireNonNull(options, "options");
    this.server = new ServerCalls(tracking.runs(), tracking.writer(), options);
    this.numbering = new TrialNumbering(server, workerId);
    if (options.writeHold().isZero()) {
      this.releaser = null;
    } else {
      this.releaser =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "knobflow-mlflow-storage-held-writes");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(20, options.writeHold().toMillis() / 2);
      releaser.scheduleWithFixedDelay(this::releaseAged, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Connects to the server (failing at once if it cannot be reached) and keeps studies in the
   * experiment {@code experiment} (created on the first study).
   */
  public static MlflowStudyStorage open(MlflowConnection connection, String experiment) {
    return open(connection, experiment, MlflowStorageOptions.defaults());
  }

  /** {@link #open(MlflowConnection, String)} with other options. */
  public static MlflowStudyStorage open(
      MlflowConnection connection, String experiment, MlflowStorageOptions options) {
    MlflowTracking tracking = MlflowTracking.open(connection, WriterOptions.defaults());
    return new MlflowStudyStorage(tracking, true, experiment, options);
  }

  /** Uses an open tracking connection; {@link #close()} flushes but does not close it. */
  public static MlflowStudyStorage using(
      MlflowTracking tracking, String experiment, MlflowStorageOptions options) {
    return new MlflowStudyStorage(
        Objects.requireNonNull(tracking, "tracking"), false, experiment, options);
  }

  /** The experiment that holds the studies. */
  public String experimentName() {
    return experimentName;
  }

  /** The tracking server's URI. */
  public String trackingUri() {
    return tracking.connection().trackingUri().toString();
  }

  /** The MLflow run id of a study (its canonical study run). */
  public synchronized Optional<String> studyRunId(String study) {
    StudyCache loaded = studies.get(study);
    if (loaded != null) {
      return Optional.of(loaded.studyRunId); // the oldest study run: it stays the canonical one
    }
    return findStudyRuns(study).stream().findFirst().map(RunRecord::runId);
  }

  /**
   * Logs metrics on the study's run. They ride with this worker's next number claim (a request to
   * the study run it sends anyway) instead of one of their own, unless no claim comes within the
   * write hold ({@link MlflowStorageOptions#writeHold()}); {@link #flush()} and {@link #close()}
   * send any left.
   */
  public synchronized void logStudyRunMetrics(
      String study, Map<String, Double> metrics, long step) {
    StudyCache s = study(study);
    if (options.writeHold().isZero()) {
      server.writer().logMetrics(s.studyRunId, metrics, step);
      return;
    }
    if (s.claimRiders.isEmpty()) {
      s.claimRidersSinceNanos = System.nanoTime();
    }
    long now = System.currentTimeMillis();
    metrics.forEach((k, v) -> s.claimRiders.add(new MetricPoint(k, v, now, step)));
  }

  /** The MLflow run id of a trial. */
  public synchronized String trialRunId(String study, int number) {
    return entry(study, number).runId;
  }

  // --- studies ---------------------------------------------------------------------------------

  @Override
  public synchronized StudyRecord createStudy(String name, List<Objective> objectives) {
    requireText("study name", name);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("study '" + name + "': declare at least one objective");
    }
    String experiment = experimentId(true);
    Optional<StudyRecord> existing = findStudy(name);
    if (existing.isPresent()) {
      checkObjectives(name, existing.get().objectives(), objectives);
      return existing.get();
    }
    StudyNames.check(name);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.KIND, StorageTags.KIND_STUDY);
    tags.put(StorageTags.STUDY, name);
    tags.put(StorageTags.OBJECTIVES, StorageTags.json(objectivesJson(objectives)));
    RunRecord mine =
        server.call("create study run", () -> tracking.runs().createRun(experiment, name, tags));
    // Two workers creating the same study at once make two study runs: the one that is not the
    // oldest (canonical) deletes itself before anything refers to it, so one study run remains.
    // (Were both to miss each other, the readers still merge them: nothing is lost.)
    long now = System.nanoTime();
    List<RunRecord> runs = findStudyRuns(name);
    if (runs.size() > 1 && !runs.get(0).runId().equals(mine.runId())) {
      server.call(
          "delete duplicate study run",
          () -> {
            tracking.runs().deleteRun(mine.runId());
            return null;
          });
    }
    StudyRecord record =
        runs.size() == 1
            ? cache(name, runs, now).record // the answer holds it: no read back
            : findStudy(name)
                .orElseThrow(() -> new StorageException("study run vanished: " + name));
    checkObjectives(name, record.objectives(), objectives);
    return record;
  }

  @Override
  public synchronized Optional<StudyRecord> findStudy(String name) {
    StudyCache s = studies.get(name);
    if (s != null && fresh(s, s.recordReadNanos)) {
      return Optional.of(s.record);
    }
    if (s != null && s.studyRunMarked) {
      // The read of the trials brings the study run too: one search for both.
      refresh(s, false);
      if (fresh(s, s.recordReadNanos)) {
        return Optional.of(s.record);
      }
    }
    long now = System.nanoTime();
    List<RunRecord> runs = findStudyRuns(name);
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    if (s == null) {
      return Optional.of(cache(name, runs, now).record);
    }
    s.record = studyRecord(runs);
    s.recordReadNanos = now;
    return Optional.of(s.record);
  }

  /** Keeps a study found on the server: its runs, oldest (canonical) first, read at {@code now}. */
  private StudyCache cache(String name, List<RunRecord> runs, long now) {
    StudyCache s = new StudyCache(studyRecord(runs), runs.get(0).runId(), now);
    s.studyRunCount = runs.size();
    s.studyRunMarked = runs.get(0).metrics().containsKey(StorageTags.NUMBER_METRIC);
    studies.put(name, s);
    return s;
  }

  /**
   * Whether what {@code s} holds, read at {@code readNanos}, may be served without asking the
   * server: read within {@link MlflowStorageOptions#readStaleness()}, or this worker is alone since
   * (see {@link StudyCache#aloneSinceLastRead()}); a zero staleness always asks.
   */
  private boolean fresh(StudyCache s, long readNanos) {
    long staleness = options.readStaleness().toNanos();
    long age = System.nanoTime() - readNanos;
    return staleness > 0
        && (age < staleness
            || s.aloneSinceLastRead()
            || (readOncePerOwnTrial(s) && age < OWN_TRIAL_STALENESS_FACTOR * staleness));
  }

  /**
   * How many times {@link MlflowStorageOptions#readStaleness()} a view read since this worker's
   * latest trial started may be served (see {@link #readOncePerOwnTrial}).
   */
  private static final long OWN_TRIAL_STALENESS_FACTOR = 10;

  /**
   * Whether this worker creates trials and has read the others' since it started its latest one:
   * then it reads again before its next trial (the target check, {@link #currentTrials}), so the
   * view its sampler and number claim use is at most one of its own trials old, and reads between
   * need not follow the clock (on a loaded machine a trial outlives the staleness several times).
   */
  private static boolean readOncePerOwnTrial(StudyCache s) {
    return s.claimsWon > 0 && s.claimsWonSinceRead <= 1;
  }

  @Override
  public synchronized List<StudyRecord> studies() {
    Optional<String> experiment = Optional.ofNullable(experimentId(false));
    if (experiment.isEmpty()) {
      return List.of();
    }
    Map<String, List<RunRecord>> byName = new LinkedHashMap<>();
    server
        .search(experiment.get(), StorageTags.tagEquals(StorageTags.KIND, StorageTags.KIND_STUDY))
        .stream()
        .sorted(STUDY_RUN_ORDER)
        .forEach(
            r ->
                byName
                    .computeIfAbsent(r.tags().get(StorageTags.STUDY), k -> new ArrayList<>())
                    .add(r));
    return byName.values().stream().map(MlflowStudyStorage::studyRecord).toList();
  }

  @Override
  public synchronized void setStudyAttr(String study, String key, Object value) {
    StudyCache s = study(study);
    Map<String, String> tags = StorageTags.jsonTags(StorageTags.STUDY_ATTR + key, value);
    Object stored = StorageTags.plain(StorageTags.readJson(tags, StorageTags.STUDY_ATTR + key));
    if (fresh(s, s.recordReadNanos) && Objects.equals(s.record.attrs().get(key), stored)) {
      return; // already holds it (e.g. a worker's start setting the study's sampler again)
    }
    server.writeNow(s.studyRunId, tags);
    s.putAttr(key, stored);
  }

  // --- trials ----------------------------------------------------------------------------------

  @Override
  public synchronized FrozenTrial createTrial(
      String study, TrialState state, Map<String, Object> systemAttrs) {
    if (state != TrialState.RUNNING && state != TrialState.WAITING) {
      throw new IllegalArgumentException("a new trial is RUNNING or WAITING, not " + state);
    }
    StudyCache s = study(study);
    Map<String, String> attrTags = new LinkedHashMap<>();
    systemAttrs.forEach(
        (k, v) -> attrTags.putAll(StorageTags.jsonTags(StorageTags.SYSTEM_ATTR + k, v)));
    // A lost number claim means this worker's view is behind: one read brings every claim (the
    // study run's params) before it tries again, instead of one lost request per number.
    TrialEntry e =
        numbering.create(
            s, experimentId(true), state, attrTags, systemAttrs, () -> refresh(s, true));
    s.put(e);
    if (e.owned) {
      held(e);
    } else {
      e.held.release(e.runId, server.writer());
    }
    return e.snapshot();
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrial(String study) {
    StudyCache s = study(study);
    refresh(s, false);
    List<TrialEntry> waiting =
        s.byNumber.values().stream().filter(e -> e.state == TrialState.WAITING).toList();
    for (TrialEntry e : waiting) {
      long now = System.currentTimeMillis();
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(StorageTags.STATE, TrialState.RUNNING.name());
      tags.put(StorageTags.CLAIMED_AT, Long.toString(now));
      if (server.writeOnce(e.runId, StorageTags.CLAIM, contenderId(), List.of(), Map.of(), tags)) {
        e.state = TrialState.RUNNING;
        e.started = Instant.ofEpochMilli(now);
        e.owned = true;
        return Optional.of(e.snapshot());
      }
      e.state = TrialState.RUNNING; // another worker has it; the next read fills in the rest
    }
    return Optional.empty();
  }

  @Override
  public synchronized void setParam(
      String study, int number, String name, Distribution distribution, Object value) {
    TrialEntry e = unfinished(study, number);
    StorageRules.requireSameDistribution(number, name, e.distributions.get(name), distribution);
    Object canonical = DistributionJson.canonicalValue(distribution, value);
    boolean first = !e.params.containsKey(name);
    e.distributions.put(name, distribution);
    e.params.put(name, canonical);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("distribution", DistributionJson.toMap(distribution));
    json.put("value", canonical);
    Map<String, String> tags = StorageTags.jsonTags(StorageTags.PARAM + name, json);
    if (holding(e)) {
      e.held.tags(tags);
      if (first) {
        e.held.param(name, String.valueOf(canonical));
      }
      held(e);
      return;
    }
    server.writer().setTags(e.runId, tags);
    if (first) {
      // MLflow params are write-once: the UI copy is written the first time only.
      server.writer().logParam(e.runId, name, String.valueOf(canonical));
    }
  }

  @Override
  public synchronized void reportIntermediate(
      String study, int number, long step, List<Double> values) {
    StudyCache s = study(study);
    TrialEntry e = unfinished(study, number);
    e.intermediate.put(step, List.copyOf(values));
    e.reportsRead = e.intermediate.size();
    long now = System.currentTimeMillis();
    for (int i = 0; i < values.size() && i < s.objectives.size(); i++) {
      double v = values.get(i);
      if (Double.isFinite(v)) {
        String key = StorageTags.INTERMEDIATE_METRIC + s.objectives.get(i).name();
        if (holding(e)) {
          e.held.metric(key, v, now, step);
        } else {
          server.writer().logMetric(e.runId, key, v, now, step);
        }
      }
    }
    writeTags(e, Map.of(StorageTags.REPORTS, Integer.toString(e.intermediate.size())));
  }

  @Override
  public synchronized void setUserAttr(String study, int number, String key, Object value) {
    TrialEntry e = entry(study, number);
    e.userAttrs.put(key, value);
    writeTags(e, StorageTags.jsonTags(StorageTags.USER_ATTR + key, value));
  }

  @Override
  public synchronized void setSystemAttr(String study, int number, String key, Object value) {
    TrialEntry e = entry(study, number);
    e.systemAttrs.put(key, value);
    writeTags(e, StorageTags.jsonTags(StorageTags.SYSTEM_ATTR + key, value));
  }

  @Override
  public synchronized void setBudget(String study, int number, double budget) {
    TrialEntry e = entry(study, number);
    e.budget = budget;
    writeTags(e, Map.of(StorageTags.BUDGET, Double.toString(budget)));
  }

  @Override
  public synchronized void heartbeat(String study, int number, Instant at) {
    TrialEntry e = entry(study, number);
    if (e.state == TrialState.RUNNING) {
      e.heartbeat = at;
      writeTags(e, Map.of(StorageTags.HEARTBEAT, Long.toString(at.toEpochMilli())));
      // Others judge staleness by it: send it (and everything held with it) now.
      release(e);
    }
  }

  @Override
  public synchronized FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    StudyCache s = study(study);
    TrialEntry e = entry(study, number);
    if (!e.owned && !e.settled) {
      refreshOne(s, e);
      e = entry(study, number); // the read replaced the cached entry
    }
    if (e.state.isFinished()) {
      throw new TrialAlreadyFinishedException(study, number, e.state);
    }
    if (outcome.state() == TrialState.COMPLETE && outcome.values().size() != s.objectives.size()) {
      throw new IllegalArgumentException(
          "trial "
              + number
              + " of study '"
              + study
              + "' has "
              + outcome.values().size()
              + " values but the study has "
              + s.objectives.size()
              + " objectives");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.STATE, outcome.state().name());
    if (outcome.reason() != null) {
      tags.put(StorageTags.FAIL_REASON, truncate(outcome.reason()));
    }
    tags.putAll(StorageTags.jsonTags(StorageTags.OUTCOME, TrialEntry.outcomeJson(outcome)));
    if (e.owned && !e.intermediate.isEmpty()) {
      // All of them are here: other workers take them from the run instead of metric histories.
      String curve = TrialEntry.intermediateJson(e.intermediate);
      if (curve.length() <= StorageTags.MAX_TAG_CHARS) {
        tags.put(StorageTags.INTERMEDIATE_VALUES, curve);
      }
    }
    if (outcome.state() == TrialState.COMPLETE) {
      // The tracking listener's feasibility tag, here so that it rides with the finish.
      tags.put(KnobflowTags.FEASIBLE, Boolean.toString(e.snapshotWith(outcome).isFeasible()));
    }
    List<MetricPoint> finals = finalMetrics(s, e, outcome);
    // Writes handed to the writer earlier (a long trial's) go first: a reader that sees the finish
    // must find everything the trial wrote before it.
    server.flush();
    if (!e.held.fitOneRequestWith(1, tags, finals.size(), HELD_CHARS_PER_REQUEST)) {
      release(e);
      server.flush();
    }
    List<MetricPoint> metrics = new ArrayList<>(e.held.metrics());
    metrics.addAll(finals);
    Map<String, String> allTags = new LinkedHashMap<>(e.held.tags());
    allTags.putAll(tags);
    // One request: the write-once finish param decides who finishes the trial, and carries the
    // outcome, the values and the trial's held writes.
    boolean won =
        server.writeOnce(
            e.runId, StorageTags.FINISH, contenderId(), metrics, e.held.params(), allTags);
    if (!won) {
      release(e); // the trial's own writes still land
      refreshOne(s, e);
      throw new TrialAlreadyFinishedException(study, number, entry(study, number).state);
    }
    e.held.clear();
    withHeld.remove(e);
    e.apply(outcome);
    e.owned = true;
    e.settled = true;
    server.writer().terminate(e.runId, runOutcome(outcome.state()));
    server.flush(); // durable when it returns
    return e.snapshot();
  }

  /**
   * The final values and extra metrics at the last step (and the number, for a trial run
   * elsewhere).
   */
  private static List<MetricPoint> finalMetrics(StudyCache s, TrialEntry e, TrialOutcome outcome) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int i = 0; i < outcome.values().size() && i < s.objectives.size(); i++) {
      metrics.put(s.objectives.get(i).name(), outcome.values().get(i));
    }
    outcome.metrics().forEach(metrics::putIfAbsent);
    if (!e.owned) {
      // Its worker may have died holding the number metric that incremental reads filter on.
      metrics.put(StorageTags.NUMBER_METRIC, (double) e.number);
    }
    metrics.values().removeIf(v -> v == null || !Double.isFinite(v));
    long now = System.currentTimeMillis();
    // Once, at the last reported step: the final point of the run's curves (no extra step-0 point).
    long last = e.intermediate.isEmpty() ? 0 : e.intermediate.lastKey();
    List<MetricPoint> out = new ArrayList<>();
    metrics.forEach((k, v) -> out.add(new MetricPoint(k, v, now, last)));
    return out;
  }

  @Override
  public synchronized FrozenTrial trial(String study, int number) {
    StudyCache s = study(study);
    TrialEntry e = s.byNumber.get(number);
    if (e == null || !(e.owned || e.settled)) {
      refresh(s, e == null);
    }
    return entry(study, number).snapshot();
  }

  @Override
  public synchronized List<FrozenTrial> trials(String study) {
    StudyCache s = study(study);
    refresh(s, false);
    return snapshots(s);
  }

  /**
   * Reads the other workers' trials from the server whatever the read window says when the study
   * may be near its trial target, unless this worker has seen no other worker and knows it is alone
   * since its last read (see {@link StudyCache#aloneSinceLastRead()}): then its copy is whole. Far
   * from the target (see {@link TargetDistance}) the view may be up to {@link
   * MlflowStorageOptions#readStaleness()} old, as for {@link #trials}.
   */
  @Override
  public synchronized List<FrozenTrial> currentTrials(String study) {
    StudyCache s = study(study);
    boolean mayBeBehind = s.othersWorking() || !s.aloneSinceLastRead();
    boolean near = !TargetDistance.farFromTarget(s, System.nanoTime());
    // Before each of its trials a worker reads once (unless it has since its latest trial began):
    // that read brings the others' trials, the study run's attributes and every claimed number.
    refresh(s, mayBeBehind && (near || s.claimsWonSinceRead > 0));
    return snapshots(s);
  }

  private static List<FrozenTrial> snapshots(StudyCache s) {
    List<FrozenTrial> out = new ArrayList<>(s.byNumber.size());
    s.byNumber.values().forEach(e -> out.add(e.snapshot()));
    return out;
  }

  @Override
  public synchronized List<FrozenTrial> failStaleTrials(String study, Duration grace, Instant now) {
    StudyCache s = study(study);
    refresh(s, true);
    List<FrozenTrial> failed = new ArrayList<>();
    for (TrialEntry e : List.copyOf(s.byNumber.values())) {
      if (e.state != TrialState.RUNNING || e.owned) {
        continue;
      }
      Instant last = e.heartbeat != null ? e.heartbeat : e.started;
      if (last != null && last.plus(grace).isBefore(now)) {
        try {
          failed.add(
              finishTrial(
                  study,
                  e.number,
                  TrialOutcome.failed(
                      "stale: no heartbeat since " + last + " (grace " + grace + ")", now)));
        } catch (TrialAlreadyFinishedException raced) {
          // Its worker or another one finished it meanwhile.
        }
      }
    }
    return failed;
  }

  /**
   * Waits until every write made so far is on the server, held ones included. A trial's writes
   * (params, intermediate values, attributes) are held up to {@link
   * MlflowStorageOptions#writeHold()} to ride with its finish, then buffered and sent in batches
   * within about 200 ms; trial creation, claims and finishes are on the server before they return;
   * heartbeats are sent at once.
   */
  public synchronized void flush() {
    releaseAll();
    server.flush();
  }

  /** Flushes held and buffered writes and, if opened here, closes the connection. */
  @Override
  public synchronized void close() {
    if (releaser != null) {
      releaser.shutdownNow();
    }
    releaseAll();
    if (ownsTracking) {
      tracking.close();
    } else {
      server.flush();
    }
  }

  // --- held writes -----------------------------------------------------------------------------

  /** Characters of values one finishing request may carry with held writes (MLflow: 1 MB). */
  private static final int HELD_CHARS_PER_REQUEST = 500_000;

  /** Whether writes to the trial are held: it runs here and is not finished. */
  private static boolean holding(TrialEntry e) {
    return e.owned && !e.state.isFinished();
  }

  private void writeTags(TrialEntry e, Map<String, String> tags) {
    if (holding(e)) {
      e.held.tags(tags);
      held(e);
    } else {
      server.writer().setTags(e.runId, tags);
    }
  }

  /** Notes that {@code e} holds writes; without a hold time they go to the writer at once. */
  private void held(TrialEntry e) {
    if (options.writeHold().isZero()) {
      e.held.release(e.runId, server.writer());
    } else if (!e.held.isEmpty()) {
      withHeld.add(e);
    }
  }

  private void release(TrialEntry e) {
    e.held.release(e.runId, server.writer());
    withHeld.remove(e);
  }

  private void releaseAll() {
    for (TrialEntry e : List.copyOf(withHeld)) {
      release(e);
    }
    studies.values().forEach(this::releaseClaimRiders);
  }

  /** Hands the study run's points that wait for a number claim to the writer. */
  private void releaseClaimRiders(StudyCache s) {
    for (MetricPoint p : s.claimRiders) {
      server.writer().logMetric(s.studyRunId, p.key(), p.value(), p.timestamp(), p.step());
    }
    s.claimRiders.clear();
  }

  /** Hands writes held longer than the hold time to the writer; runs in the background. */
  private synchronized void releaseAged() {
    long now = System.nanoTime();
    long hold = options.writeHold().toNanos();
    for (TrialEntry e : List.copyOf(withHeld)) {
      if (e.held.olderThan(hold, now)) {
        release(e);
      }
    }
    for (StudyCache s : studies.values()) {
      if (!s.claimRiders.isEmpty() && now - s.claimRidersSinceNanos > hold) {
        releaseClaimRiders(s);
      }
    }
  }

  private String contenderId() {
    return workerId + "/" + UUID.randomUUID().toString().replace("-", "");
  }

  // --- reading ---------------------------------------------------------------------------------

  /**
   * Brings the cache up to date: every trial on the first read and every {@code
   * fullRefreshInterval}, otherwise only the runs past the settled window (numbers above {@link
   * StudyCache#settledNumber}): the unfinished ones and those that finished after the oldest
   * unfinished one. One search whose answer does not grow with the study.
   */
  private void refresh(StudyCache s, boolean force) {
    refresh(s, force, false);
  }

  /** {@link #refresh(StudyCache, boolean)}, reading every run of the study when {@code all}. */
  private void refresh(StudyCache s, boolean force, boolean all) {
    long now = System.nanoTime();
    boolean full =
        all || !s.loaded || now - s.lastFullReadNanos > options.fullRefreshInterval().toNanos();
    // Fresh enough: read within the staleness, or this worker won a number claim since its last
    // read (nobody else created a trial before it) and no other worker's trial is left to change.
    // A worker running alone thus reads only at its start and every fullRefreshInterval, however
    // long its trials take; a zero staleness always reads.
    if (!force && !full && fresh(s, s.lastReadNanos)) {
      return;
    }
    server.flush(); // read our own writes
    // The study's runs: its trial runs and, when marked with the number metric, its study run(s),
    // whose attributes and number claims thus arrive in the same answer.
    String base = StorageTags.studyRunsFilter(s.name);
    List<RunRecord> runs =
        full
            ? server.search(experimentId(true), base)
            : server.search(
                experimentId(true),
                base + " AND metrics.`" + StorageTags.NUMBER_METRIC + "` > " + s.settledNumber);
    List<RunRecord> studyRuns = new ArrayList<>();
    for (RunRecord r : runs) {
      if (StorageTags.KIND_STUDY.equals(r.tags().get(StorageTags.KIND))) {
        studyRuns.add(r);
      } else if (StorageTags.KIND_TRIAL.equals(r.tags().get(StorageTags.KIND))) {
        apply(s, r);
      }
    }
    takeStudyRuns(s, studyRuns, now);
    if (full) {
      s.noteGaps(runs);
    }
    s.advanceSettledWindow();
    s.claimWonSinceRead = false;
    s.claimsWonSinceRead = 0;
    s.loaded = true;
    s.lastReadNanos = now;
    if (full) {
      s.lastFullReadNanos = now;
    }
  }

  /**
   * Takes what a read of the trials brought of the study run(s): the attributes (when every study
   * run came back, the canonical one among them) and the claimed numbers, so that this worker's
   * next claim tries a number nobody holds yet.
   */
  private static void takeStudyRuns(StudyCache s, List<RunRecord> studyRuns, long now) {
    for (RunRecord r : studyRuns) {
      if (r.runId().equals(s.studyRunId) && r.metrics().containsKey(StorageTags.NUMBER_METRIC)) {
        s.studyRunMarked = true;
      }
      for (String key : r.params().keySet()) {
        if (key.startsWith(StorageTags.NUMBER_CLAIM)) {
          try {
            int n = Integer.parseInt(key.substring(StorageTags.NUMBER_CLAIM.length()));
            s.nextNumber = Math.max(s.nextNumber, n + 1);
          } catch (NumberFormatException notAClaim) {
            // another param with the prefix: not ours to read
          }
        }
      }
    }
    boolean canonicalIn = studyRuns.stream().anyMatch(r -> r.runId().equals(s.studyRunId));
    if (canonicalIn && studyRuns.size() >= s.studyRunCount) {
      s.record = studyRecord(studyRuns.stream().sorted(STUDY_RUN_ORDER).toList());
      s.recordReadNanos = now;
    }
  }

  private void refreshOne(StudyCache s, TrialEntry e) {
    server.flush();
    apply(s, server.call("read run " + e.runId, () -> tracking.runs().getRun(e.runId)));
  }

  private void apply(StudyCache s, RunRecord r) {
    Optional<Integer> number = TrialEntry.numberOf(r);
    if (number.isEmpty()) {
      return; // not a trial run of this storage
    }
    TrialEntry same = s.byNumber.get(number.get());
    if (same != null
        && !same.runId.equals(r.runId())
        && (same.owned || same.runId.compareTo(r.runId()) < 0)) {
      // Two runs with one number: a creation retried after an answer lost in an outage, whose
      // first attempt reached the server late. Every reader keeps the smaller run id.
      return;
    }
    TrialEntry e = s.byRun.get(r.runId());
    if (e != null && e.settled) {
      return;
    }
    if (e != null && e.owned) {
      // Ours: keep the local state, but learn if another worker finished it (e.g. as stale).
      TrialEntry server = TrialEntry.fromRun(r, number.get());
      if (server.state.isFinished()) {
        e.apply(outcomeFrom(server));
        e.owned = false;
      }
      return;
    }
    TrialEntry fresh = TrialEntry.fromRun(r, number.get());
    if (e != null) {
      fresh.intermediate = e.intermediate;
      fresh.reportsRead = e.reportsRead;
    }
    String reports = r.tags().get(StorageTags.REPORTS);
    int expected = reports == null ? 0 : Integer.parseInt(reports);
    if (expected > fresh.reportsRead) {
      String carried = r.tags().get(StorageTags.INTERMEDIATE_VALUES);
      fresh.intermediate =
          carried != null ? TrialEntry.intermediateFrom(carried) : intermediateValues(s, r.runId());
      fresh.reportsRead = fresh.intermediate.size();
    }
    fresh.settled = fresh.state.isFinished() && fresh.reportsRead >= expected;
    s.put(fresh);
  }

  private static TrialOutcome outcomeFrom(TrialEntry e) {
    return new TrialOutcome(e.state, e.values, e.constraints, e.metrics, e.failReason, e.completed);
  }

  private TreeMap<Long, List<Double>> intermediateValues(StudyCache s, String runId) {
    TreeMap<Long, Double[]> byStep = new TreeMap<>();
    int n = s.objectives.size();
    for (int i = 0; i < n; i++) {
      String key = StorageTags.INTERMEDIATE_METRIC + s.objectives.get(i).name();
      List<MetricPoint> points =
          server.call("read metric history", () -> tracking.runs().metricHistory(runId, key));
      for (MetricPoint p : points) {
        Double[] row = byStep.computeIfAbsent(p.step(), k -> new Double[n]);
        row[i] = p.value();
      }
    }
    TreeMap<Long, List<Double>> out = new TreeMap<>();
    byStep.forEach(
        (step, row) -> {
          List<Double> values = new ArrayList<>(n);
          for (Double v : row) {
            values.add(v == null ? Double.NaN : v);
          }
          out.put(step, List.copyOf(values));
        });
    return out;
  }

  // --- helpers ---------------------------------------------------------------------------------

  private StudyCache study(String name) {
    StudyCache s = studies.get(name);
    if (s != null) {
      return s;
    }
    long now = System.nanoTime();
    List<RunRecord> runs = findStudyRuns(name);
    if (runs.isEmpty()) {
      throw new NoSuchElementException("no study named '" + name + "'");
    }
    return cache(name, runs, now);
  }

  private TrialEntry entry(String study, int number) {
    StudyCache s = study(study);
    TrialEntry e = s.byNumber.get(number);
    if (e == null) {
      refresh(s, true);
      e = s.byNumber.get(number);
    }
    if (e == null) {
      // Another worker's new run carries its number metric only once that worker's held writes
      // go out (up to 1 s), so the range-filtered read above cannot see it yet: read every run.
      refresh(s, true, true);
      e = s.byNumber.get(number);
    }
    if (e == null) {
      throw new NoSuchElementException("study '" + study + "' has no trial " + number);
    }
    return e;
  }

  /**
   * The trial, refused (as by every storage) when it is finished. Another worker's trial may have
   * finished since the last read: its run is read again first (one request; a worker writes to its
   * own trials, whose state it knows).
   */
  private TrialEntry unfinished(String study, int number) {
    TrialEntry e = entry(study, number);
    if (!e.owned && !e.settled && !e.state.isFinished()) {
      refreshOne(study(study), e);
      e = entry(study, number);
    }
    if (e.state.isFinished()) {
      throw new TrialAlreadyFinishedException(study, number, e.state);
    }
    return e;
  }

  private static final Comparator<RunRecord> STUDY_RUN_ORDER =
      Comparator.comparingLong(RunRecord::startTime).thenComparing(RunRecord::runId);

  /** The study's runs, oldest (canonical) first. */
  private List<RunRecord> findStudyRuns(String name) {
    requireText("study name", name);
    String experiment = experimentId(false);
    if (experiment == null) {
      return List.of();
    }
    return server
        .search(
            experiment,
            StorageTags.tagEquals(StorageTags.KIND, StorageTags.KIND_STUDY)
                + " AND "
                + StorageTags.tagEquals(StorageTags.STUDY, name))
        .stream()
        .sorted(STUDY_RUN_ORDER)
        .toList();
  }

  private static StudyRecord studyRecord(List<RunRecord> runs) {
    RunRecord canonical = runs.get(0);
    List<Objective> objectives = new ArrayList<>();
    for (JsonNode o : StorageTags.parse(canonical.tags().get(StorageTags.OBJECTIVES))) {
      objectives.add(
          new Objective(o.path("name").asText(), Direction.parse(o.path("direction").asText())));
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    // Later runs first so that the canonical run's values win.
    for (int i = runs.size() - 1; i >= 0; i--) {
      Map<String, String> tags = runs.get(i).tags();
      StorageTags.withPrefix(tags, StorageTags.STUDY_ATTR)
          .keySet()
          .forEach(
              key ->
                  attrs.put(
                      key,
                      StorageTags.plain(StorageTags.readJson(tags, StorageTags.STUDY_ATTR + key))));
    }
    return new StudyRecord(
        canonical.tags().get(StorageTags.STUDY),
        objectives,
        attrs,
        Instant.ofEpochMilli(canonical.startTime()));
  }

  private static List<Map<String, String>> objectivesJson(List<Objective> objectives) {
    return objectives.stream()
        .map(o -> Map.of("name", o.name(), "direction", o.direction().id()))
        .toList();
  }

  private static void checkObjectives(String name, List<Objective> have, List<Objective> want) {
    if (!have.equals(want)) {
      throw new IllegalArgumentException(
          "study '" + name + "' already exists with objectives " + have + ", not " + want);
    }
  }

  private @Nullable String experimentId(boolean create) {
    if (experimentId == null) {
      experimentId =
          create
              ? server.call(
                  "get or create experiment",
                  () ->
                      tracking
                          .runs()
                          .getOrCreateExperiment(experimentName, KnobflowTags.EXPERIMENT_TAGS))
              : server
                  .call("find experiment", () -> tracking.runs().findExperimentId(experimentName))
                  .orElse(null);
    }
    return experimentId;
  }

  private static RunOutcome runOutcome(TrialState state) {
    return switch (state) {
      case COMPLETE -> RunOutcome.FINISHED;
      case PRUNED -> RunOutcome.KILLED;
      default -> RunOutcome.FAILED;
    };
  }

  private static String truncate(String text) {
    return text.length() <= StorageTags.MAX_TAG_CHARS
        ? text
        : text.substring(0, StorageTags.MAX_TAG_CHARS) + "...";
  }

  private static String requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
