package dev.knobflow.plugin.mlflow.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.optimizers.storage.StorageRules;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.tracking.MetricPoint;
import dev.knobflow.plugin.tracking.MlflowConnection;
import dev.knobflow.plugin.tracking.MlflowTags;
import dev.knobflow.plugin.tracking.MlflowTracking;
import dev.knobflow.plugin.tracking.RunOutcome;
import dev.knobflow.plugin.tracking.RunRecord;
import dev.knobflow.plugin.tracking.WriterOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps studies on an MLflow tracking server, so that workers on different machines can share one
 * study. A study is a run tagged {@code knobflow.kind=study}; each trial is a child run of it. The
 * runs are the state: there is no other database and no lock server.
 *
 * <p>MLflow has no compare-and-set, so every one-time decision is a bakery lottery (Lamport) over
 * tags and metrics that each worker writes once and reads back: trial numbers are the rank of a
 * run's ticket, finishing and claiming a WAITING trial go to the smallest ticket. See {@code
 * docs/mlflow-storage.md} for the protocol and its guarantees.
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
  private final TagLottery lottery;
  private final String experimentName;
  private final MlflowStorageOptions options;
  private final String workerId = UUID.randomUUID().toString();
  private String experimentId;
  private final Map<String, StudyCache> studies = new HashMap<>();

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
    this.lottery = new TagLottery(server);
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
    return findStudyRuns(study).stream().findFirst().map(RunRecord::runId);
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
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.KIND, StorageTags.KIND_STUDY);
    tags.put(StorageTags.STUDY, name);
    tags.put(StorageTags.OBJECTIVES, StorageTags.json(objectivesJson(objectives)));
    server.call("create study run", () -> tracking.runs().createRun(experiment, name, tags));
    // Two workers creating the same study at once make two study runs; both are read as one study
    // (attributes merged, the oldest run first), so nothing is lost.
    StudyRecord record =
        findStudy(name).orElseThrow(() -> new StorageException("study run vanished: " + name));
    checkObjectives(name, record.objectives(), objectives);
    return record;
  }

  @Override
  public synchronized Optional<StudyRecord> findStudy(String name) {
    List<RunRecord> runs = findStudyRuns(name);
    return runs.isEmpty() ? Optional.empty() : Optional.of(studyRecord(runs));
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
    server.writeNow(s.studyRunId, StorageTags.jsonTags(StorageTags.STUDY_ATTR + key, value));
  }

  // --- trials ----------------------------------------------------------------------------------

  @Override
  public synchronized FrozenTrial createTrial(
      String study, TrialState state, Map<String, Object> systemAttrs) {
    if (state != TrialState.RUNNING && state != TrialState.WAITING) {
      throw new IllegalArgumentException("a new trial is RUNNING or WAITING, not " + state);
    }
    StudyCache s = study(study);
    while (true) {
      Optional<TrialEntry> created = tryCreate(s, state, systemAttrs);
      if (created.isPresent()) {
        return created.get().snapshot();
      }
      LOG.warn("study '{}': a trial run was abandoned by other workers; creating another", study);
    }
  }

  /**
   * The numbering protocol: create the run (choosing), draw a ticket one above every ticket past
   * the settled prefix, wait until no other run is still choosing, and take the rank of (ticket,
   * run id) as the number. Empty if other workers declared this run abandoned meanwhile.
   */
  private Optional<TrialEntry> tryCreate(
      StudyCache s, TrialState state, Map<String, Object> systemAttrs) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.KIND, StorageTags.KIND_TRIAL);
    tags.put(StorageTags.STUDY, s.name);
    tags.put(MlflowTags.PARENT_RUN_ID, s.studyRunId);
    tags.put(StorageTags.INITIAL_STATE, state.name());
    tags.put(StorageTags.WORKER, workerId);
    systemAttrs.forEach(
        (k, v) -> tags.putAll(StorageTags.jsonTags(StorageTags.SYSTEM_ATTR + k, v)));
    String experiment = experimentId(true);
    RunRecord run =
        server.call("create trial run", () -> tracking.runs().startRun(experiment, "trial", tags));

    long max = s.prefixTicket;
    for (RunRecord r : ticketedFrom(s, s.prefixTicket)) {
      max = Math.max(max, ticketOf(r));
    }
    long ticket = max + 1;
    server.writer().logMetric(run.runId(), StorageTags.TICKET_METRIC, ticket, 0);
    server.flush();

    waitForChoosers(s, run.runId());

    List<RunRecord> after = ticketedFrom(s, s.prefixTicket + 1);
    RunRecord mine =
        after.stream().filter(r -> r.runId().equals(run.runId())).findFirst().orElse(null);
    if (mine == null) {
      return Optional.empty(); // abandoned by another worker while we were slow
    }
    int before = 0;
    int upToTicket = 0;
    for (RunRecord r : after) {
      long t = ticketOf(r);
      if (t < ticket || (t == ticket && r.runId().compareTo(run.runId()) < 0)) {
        before++;
      }
      if (t <= ticket) {
        upToTicket++;
      }
    }
    int number = s.prefixCount + before;
    // Every run with a ticket up to ours is now known and final: later runs draw larger tickets.
    s.prefixTicket = ticket;
    s.prefixCount += upToTicket;

    Map<String, String> numbered = new LinkedHashMap<>();
    numbered.put(StorageTags.NUMBER, Integer.toString(number));
    numbered.put(MlflowTags.RUN_NAME, "trial-" + number);
    numbered.put(StorageTags.STATE, state.name());
    // Visible to every worker when this returns.
    server.writeNow(run.runId(), numbered);

    TrialEntry entry = new TrialEntry(run.runId(), number, ticket, state);
    entry.systemAttrs.putAll(systemAttrs);
    if (state == TrialState.RUNNING) {
      entry.started = Instant.ofEpochMilli(run.startTime());
      entry.owned = true;
    }
    s.put(entry);
    return Optional.of(entry);
  }

  /** Waits until no trial run of the study is half-way through taking a ticket. */
  private void waitForChoosers(StudyCache s, String self) {
    List<RunRecord> choosing = server.awaitChoosers(() -> choosers(s, self), List::isEmpty);
    if (choosing.isEmpty()) {
      return;
    }
    for (RunRecord r : choosing) {
      LOG.warn(
          "study '{}': trial run {} took no ticket within {}; treating its worker as crashed",
          s.name,
          r.runId(),
          options.chooseTimeout());
      server.writer().setTag(r.runId(), StorageTags.ABANDONED, "true");
      server.writer().terminate(r.runId(), RunOutcome.FAILED);
    }
    server.flush();
  }

  /** The study's running trial runs other than {@code self} that have not taken a ticket yet. */
  private List<RunRecord> choosers(StudyCache s, String self) {
    return server
        .search(
            experimentId(true),
            StorageTags.trialFilter(s.name) + " AND attributes.status = 'RUNNING'")
        .stream()
        .filter(r -> !r.runId().equals(self))
        .filter(r -> !r.metrics().containsKey(StorageTags.TICKET_METRIC))
        .filter(r -> !r.tags().containsKey(StorageTags.ABANDONED))
        .toList();
  }

  /** Trial runs of the study with a ticket of at least {@code from}, not abandoned. */
  private List<RunRecord> ticketedFrom(StudyCache s, long from) {
    String filter =
        StorageTags.trialFilter(s.name)
            + " AND metrics.`"
            + StorageTags.TICKET_METRIC
            + "` >= "
            + from;
    return server.search(experimentId(true), filter).stream()
        .filter(r -> !r.tags().containsKey(StorageTags.ABANDONED))
        .toList();
  }

  private static long ticketOf(RunRecord r) {
    return r.metrics().get(StorageTags.TICKET_METRIC).longValue();
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrial(String study) {
    StudyCache s = study(study);
    refresh(s, false);
    List<TrialEntry> waiting =
        s.byNumber.values().stream().filter(e -> e.state == TrialState.WAITING).toList();
    for (TrialEntry e : waiting) {
      TagLottery.Draw draw = lottery.enter(e.runId, StorageTags.CLAIM, id -> Map.of());
      if (draw.won()) {
        e.state = TrialState.RUNNING;
        e.started = Instant.ofEpochMilli(draw.winner().get().at());
        e.owned = true;
        server.writer().setTag(e.runId, StorageTags.STATE, TrialState.RUNNING.name());
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
    server.writer().setTags(e.runId, StorageTags.jsonTags(StorageTags.PARAM + name, json));
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
    for (int i = 0; i < values.size() && i < s.objectives.size(); i++) {
      double v = values.get(i);
      if (Double.isFinite(v)) {
        server
            .writer()
            .logMetric(
                e.runId, StorageTags.INTERMEDIATE_METRIC + s.objectives.get(i).name(), v, step);
      }
    }
    server.writer().setTag(e.runId, StorageTags.REPORTS, Integer.toString(e.intermediate.size()));
  }

  @Override
  public synchronized void setUserAttr(String study, int number, String key, Object value) {
    TrialEntry e = entry(study, number);
    e.userAttrs.put(key, value);
    server.writer().setTags(e.runId, StorageTags.jsonTags(StorageTags.USER_ATTR + key, value));
  }

  @Override
  public synchronized void setSystemAttr(String study, int number, String key, Object value) {
    TrialEntry e = entry(study, number);
    e.systemAttrs.put(key, value);
    server.writer().setTags(e.runId, StorageTags.jsonTags(StorageTags.SYSTEM_ATTR + key, value));
  }

  @Override
  public synchronized void setBudget(String study, int number, double budget) {
    TrialEntry e = entry(study, number);
    e.budget = budget;
    server.writer().setTag(e.runId, StorageTags.BUDGET, Double.toString(budget));
  }

  @Override
  public synchronized void heartbeat(String study, int number, Instant at) {
    TrialEntry e = entry(study, number);
    if (e.state == TrialState.RUNNING) {
      e.heartbeat = at;
      server.writer().setTag(e.runId, StorageTags.HEARTBEAT, Long.toString(at.toEpochMilli()));
    }
  }

  @Override
  public synchronized FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    StudyCache s = study(study);
    TrialEntry e = entry(study, number);
    if (!e.owned && !e.settled) {
      refreshOne(s, e);
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
    Map<String, Object> json = TrialEntry.outcomeJson(outcome);
    TagLottery.Draw draw =
        lottery.enter(
            e.runId,
            StorageTags.FINISH,
            id -> StorageTags.jsonTags(StorageTags.OUTCOME + id, json));
    if (!draw.won()) {
      refreshOne(s, e);
      throw new TrialAlreadyFinishedException(study, number, e.state);
    }
    e.apply(outcome);
    e.owned = true;
    e.settled = true;
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.STATE, outcome.state().name());
    if (outcome.reason() != null) {
      tags.put(StorageTags.FAIL_REASON, truncate(outcome.reason()));
    }
    server.writer().setTags(e.runId, tags);
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int i = 0; i < outcome.values().size() && i < s.objectives.size(); i++) {
      metrics.put(s.objectives.get(i).name(), outcome.values().get(i));
    }
    outcome.metrics().forEach(metrics::putIfAbsent);
    metrics.values().removeIf(v -> v == null || !Double.isFinite(v));
    if (!metrics.isEmpty()) {
      server.writer().logMetrics(e.runId, metrics, 0);
    }
    server.writer().terminate(e.runId, runOutcome(outcome.state()));
    server.flush(); // durable when it returns
    return e.snapshot();
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
   * Waits until every write made so far is on the server. Writes that only this worker needs at
   * once (params, intermediate values, attributes, heartbeats) are buffered and sent in batches
   * within about 200 ms; trial creation, claims and finishes are flushed before they return.
   */
  public void flush() {
    server.flush();
  }

  /** Flushes buffered writes and, if opened here, closes the connection. */
  @Override
  public synchronized void close() {
    if (ownsTracking) {
      tracking.close();
    } else {
      server.flush();
    }
  }

  // --- reading ---------------------------------------------------------------------------------

  /**
   * Brings the cache up to date: every trial on the first read and every {@code
   * fullRefreshInterval}, otherwise only the runs past the settled window (tickets above {@link
   * StudyCache#settledTicket}): the unfinished ones and those that finished after the oldest
   * unfinished one. One search whose answer does not grow with the study.
   */
  private void refresh(StudyCache s, boolean force) {
    long now = System.nanoTime();
    if (!force && s.loaded && now - s.lastReadNanos < options.readStaleness().toNanos()) {
      return;
    }
    server.flush(); // read our own writes
    String base = StorageTags.trialFilter(s.name);
    boolean full = !s.loaded || now - s.lastFullReadNanos > options.fullRefreshInterval().toNanos();
    List<RunRecord> runs =
        full
            ? server.search(experimentId(true), base)
            : server.search(
                experimentId(true),
                base + " AND metrics.`" + StorageTags.TICKET_METRIC + "` > " + s.settledTicket);
    for (RunRecord r : runs) {
      apply(s, r);
    }
    advanceSettledWindow(s, runs);
    s.loaded = true;
    s.lastReadNanos = now;
    if (full) {
      s.lastFullReadNanos = now;
    }
  }

  /**
   * Moves {@link StudyCache#settledTicket} past every ticket whose runs (all of them, in {@code
   * runs}, which holds every run with a larger ticket) are finished and cached, or abandoned. It
   * never passes the numbering prefix: up to there no run can still draw a ticket.
   */
  private static void advanceSettledWindow(StudyCache s, List<RunRecord> runs) {
    TreeMap<Long, Boolean> settledByTicket = new TreeMap<>();
    for (RunRecord r : runs) {
      Double ticket = r.metrics().get(StorageTags.TICKET_METRIC);
      if (ticket == null || ticket.longValue() <= s.settledTicket) {
        continue;
      }
      TrialEntry e = s.byRun.get(r.runId());
      boolean settled = r.tags().containsKey(StorageTags.ABANDONED) || (e != null && e.settled);
      settledByTicket.merge(ticket.longValue(), settled, Boolean::logicalAnd);
    }
    for (Map.Entry<Long, Boolean> t : settledByTicket.entrySet()) {
      if (!t.getValue() || t.getKey() > s.prefixTicket) {
        return;
      }
      s.settledTicket = t.getKey();
    }
  }

  private void refreshOne(StudyCache s, TrialEntry e) {
    server.flush();
    apply(s, server.call("read run " + e.runId, () -> tracking.runs().getRun(e.runId)));
  }

  private void apply(StudyCache s, RunRecord r) {
    Optional<Integer> number = TrialEntry.numberOf(r);
    if (number.isEmpty()) {
      return; // still taking its number, or abandoned
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
      fresh.intermediate = intermediateValues(s, r.runId());
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
    List<RunRecord> runs = findStudyRuns(name);
    if (runs.isEmpty()) {
      throw new NoSuchElementException("no study named '" + name + "'");
    }
    StudyRecord record = studyRecord(runs);
    s = new StudyCache(name, record.objectives(), runs.get(0).runId());
    studies.put(name, s);
    return s;
  }

  private TrialEntry entry(String study, int number) {
    StudyCache s = study(study);
    TrialEntry e = s.byNumber.get(number);
    if (e == null) {
      refresh(s, true);
      e = s.byNumber.get(number);
    }
    if (e == null) {
      throw new NoSuchElementException("study '" + study + "' has no trial " + number);
    }
    return e;
  }

  private TrialEntry unfinished(String study, int number) {
    TrialEntry e = entry(study, number);
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

  private String experimentId(boolean create) {
    if (experimentId == null) {
      experimentId =
          create
              ? server.call(
                  "get or create experiment",
                  () -> tracking.runs().getOrCreateExperiment(experimentName))
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
