package dev.knobflow.plugin.postgres;

import dev.knobflow.mlflowrest.Retrier;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.ParamValue;
import dev.knobflow.optimizers.storage.StorageRules;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.time.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A study storage in PostgreSQL, for many workers on many machines.
 *
 * <ul>
 *   <li>Trial numbers come from a per-study counter row ({@code UPDATE ... SET next_number =
 *       next_number + 1 RETURNING}) in the transaction that inserts the trial: the row lock orders
 *       concurrent creators, and a rolled-back creation gives its number back, so numbers are
 *       unique and consecutive under any number of workers.
 *   <li>Finishing locks the trial row and refuses a trial already finished; it is committed before
 *       the call returns, so a completed trial is never lost. A retry after a lost commit
 *       acknowledgement recognises its own write and returns it.
 *   <li>Every transaction is retried as a whole under the project's {@link RetryPolicy} when the
 *       failure is transient (a restarting server, a dropped connection).
 *   <li>Reads are incremental ({@link TrialCache}): a worker reads the rows changed since its last
 *       read, not the whole study.
 *   <li>The password is never in a message: {@link PostgresUrl#describe()} masks it.
 * </ul>
 */
public final class PostgresStorage implements StudyStorage {

  /**
   * How the storage connects.
   *
   * @param poolSize connections kept by this process (a {@code pool=N} in the URL overrides it)
   * @param connectTimeout how long to wait for a connection before the attempt counts as failed
   * @param retry the policy for transient failures
   * @param clock the source of trial start times
   */
  public record Options(int poolSize, Duration connectTimeout, RetryPolicy retry, Clock clock) {

    /** Checks every field. */
    public Options {
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
      }
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(clock, "clock");
    }

    /** 4 connections, 5 s to connect, the default retry policy, the system clock. */
    public static Options defaults() {
      return new Options(4, Duration.ofSeconds(5), RetryPolicy.defaults(), Clock.systemUTC());
    }

    /** The same options with another retry policy. */
    public Options withRetry(RetryPolicy value) {
      return new Options(poolSize, connectTimeout, value, clock);
    }

    /** The same options with another pool size. */
    public Options withPoolSize(int value) {
      return new Options(value, connectTimeout, retry, clock);
    }
  }

  /**
   * What the storage has cost so far in this process.
   *
   * @param transactions transactions run (retried attempts included)
   * @param seconds wall time spent in them
   * @param retries attempts after a transient failure
   */
  public record Stats(long transactions, double seconds, long retries) {}

  private record StudyRef(long id, List<Objective> objectives) {}

  private final PostgresUrl url;
  private final Options options;
  private final Transactions tx;
  private final Map<String, StudyRef> ids = new ConcurrentHashMap<>();
  private final Map<String, TrialCache> caches = new ConcurrentHashMap<>();

  private PostgresStorage(PostgresUrl url, Options options, Transactions tx) {
    this.url = url;
    this.options = options;
    this.tx = tx;
  }

  /**
   * Connects, creating or upgrading Knobflow's tables.
   *
   * @param env the environment, for {@code PGPASSWORD} (the driver reads {@code PGPASSFILE} or
   *     {@code ~/.pgpass} itself when no password is given)
   * @throws dev.knobflow.optimizers.storage.StorageException with a clear message (never the
   *     password) when the server cannot be reached after retries, refuses the login, or holds a
   *     newer schema
   */
  public static PostgresStorage open(PostgresUrl url, Map<String, String> env, Options options) {
    Retrier retrier = Retrier.of(options.retry(), new PostgresFailures(url.describe()));
    Transactions tx = Transactions.open(url, url.passwordFrom(env).orElse(null), options, retrier);
    try {
      tx.write("create or upgrade the schema", (c, a) -> PostgresSchema.ensure(c, url.describe()));
    } catch (RuntimeException e) {
      tx.close();
      throw e;
    }
    return new PostgresStorage(url, options, tx);
  }

  /** {@link #open(PostgresUrl, Map, Options)} with the default options. */
  public static PostgresStorage open(PostgresUrl url, Map<String, String> env) {
    return open(url, env, Options.defaults());
  }

  /** The URL it was opened with (its {@code toString} masks the password). */
  public PostgresUrl url() {
    return url;
  }

  /** Where this storage is, without the password. */
  public String describe() {
    return url.describe();
  }

  /** What the storage has cost so far in this process. */
  public Stats stats() {
    return tx.stats();
  }

  @Override
  public String toString() {
    return "PostgresStorage[" + url.describe() + "]";
  }

  // --- studies ---------------------------------------------------------------------------------

  @Override
  public StudyRecord createStudy(String name, List<Objective> objectives) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("study name must not be blank");
    }
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("study '" + name + "': declare at least one objective");
    }
    List<Map<String, Object>> objs = new ArrayList<>();
    for (Objective o : objectives) {
      objs.add(Map.of("name", o.name(), "direction", o.direction().id()));
    }
    String objectivesJson = Json.write(objs);
    Instant now = Json.micros(options.clock().instant());
    tx.write(
        "create study",
        (c, a) -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO knobflow_studies (name, objectives, created) VALUES (?, ?, ?)"
                      + " ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, objectivesJson);
            s.setObject(3, Json.timestamp(now));
            s.executeUpdate();
          }
          return null;
        });
    StudyRecord record = findStudy(name).orElseThrow();
    if (!record.objectives().equals(objectives)) {
      throw new IllegalArgumentException(
          "study '"
              + name
              + "' already exists with objectives "
              + record.objectives()
              + ", not "
              + objectives);
    }
    return record;
  }

  @Override
  public Optional<StudyRecord> findStudy(String name) {
    List<StudyRecord> found = readStudies(name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<StudyRecord> studies() {
    return readStudies(null);
  }

  /**
   * Studies with their attributes in one statement (one round trip, one snapshot): {@link
   * dev.knobflow.optimizers.Study} reads its study's attributes on every ask (the narrowed ranges),
   * so this is on the per-trial path. The attributes come as a JSON array of [key, value-as-JSON]
   * pairs in the order they were first set.
   */
  private static final String READ_STUDIES =
      "SELECT s.id, s.name, s.objectives, s.created, coalesce((SELECT"
          + " json_agg(json_build_array(a.key, a.value) ORDER BY a.ord)::text FROM"
          + " knobflow_study_attrs a WHERE a.study_id = s.id), '[]') FROM knobflow_studies s";

  private List<StudyRecord> readStudies(String onlyName) {
    String where = onlyName == null ? "" : " WHERE s.name = ?";
    return tx.statement(
        "read studies",
        (c, a) -> {
          List<StudyRecord> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(READ_STUDIES + where + " ORDER BY s.id")) {
            if (onlyName != null) {
              s.setString(1, onlyName);
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                String name = rs.getString(2);
                List<Objective> objectives = objectives(rs.getString(3));
                Map<String, Object> attrs = new LinkedHashMap<>();
                for (var pair : Json.tree(rs.getString(5))) {
                  attrs.put(pair.get(0).asText(), Json.plain(pair.get(1).asText()));
                }
                ids.putIfAbsent(name, new StudyRef(id, objectives));
                out.add(new StudyRecord(name, objectives, attrs, Json.instant(rs, 4)));
              }
            }
          }
          return out;
        });
  }

  private static List<Objective> objectives(String json) {
    List<Objective> out = new ArrayList<>();
    for (var o : Json.tree(json)) {
      out.add(
          new Objective(o.path("name").asText(), Direction.parse(o.path("direction").asText())));
    }
    return out;
  }

  private StudyRef study(String name) {
    StudyRef ref = ids.get(name);
    if (ref == null) {
      readStudies(name);
      ref = ids.get(name);
      if (ref == null) {
        throw new NoSuchElementException("no study named '" + name + "'");
      }
    }
    return ref;
  }

  @Override
  public void setStudyAttr(String study, String key, Object value) {
    long id = study(study).id();
    String json = Json.write(value);
    tx.write(
        "set study attribute",
        (c, a) -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO knobflow_study_attrs (study_id, key, value) VALUES (?, ?, ?)"
                      + " ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value")) {
            s.setLong(1, id);
            s.setString(2, key);
            s.setString(3, json);
            s.executeUpdate();
          }
          return null;
        });
  }

  // --- trials ----------------------------------------------------------------------------------

  @Override
  public FrozenTrial createTrial(String study, TrialState state, Map<String, Object> systemAttrs) {
    if (state != TrialState.RUNNING && state != TrialState.WAITING) {
      throw new IllegalArgumentException("a new trial is RUNNING or WAITING, not " + state);
    }
    long studyId = study(study).id();
    Instant now = Json.micros(options.clock().instant());
    Instant started = state == TrialState.RUNNING ? now : null;
    Map<String, String> attrs = new LinkedHashMap<>();
    systemAttrs.forEach((k, v) -> attrs.put(k, Json.write(v)));
    String[] keys = attrs.keySet().toArray(String[]::new);
    String[] values = attrs.values().toArray(String[]::new);
    // One statement, autocommitted: the counter row's lock (which orders concurrent creators) is
    // held for the statement and its commit only, never across a round trip to this client.
    int number =
        tx.statement(
            "create trial",
            (c, a) -> {
              try (PreparedStatement s = c.prepareStatement(CREATE_TRIAL)) {
                s.setLong(1, studyId);
                s.setString(2, state.name());
                s.setObject(3, Json.timestamp(started));
                s.setArray(4, c.createArrayOf("text", keys));
                s.setArray(5, c.createArrayOf("text", values));
                try (ResultSet rs = s.executeQuery()) {
                  rs.next();
                  return rs.getInt(1);
                }
              }
            });
    return created(number, state, started, systemAttrs);
  }

  /** The snapshot of a trial just created. */
  private static FrozenTrial created(
      int number, TrialState state, Instant started, Map<String, Object> systemAttrs) {
    return new FrozenTrial(
        number,
        state,
        List.of(),
        Map.of(),
        Map.of(),
        new java.util.TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        systemAttrs,
        Double.NaN,
        started,
        null,
        null,
        null);
  }

  /**
   * Takes the study's next number, inserts the trial with it and its system attributes (parameters
   * 4 and 5: keys and JSON values as text arrays); returns the number.
   */
  private static final String CREATE_TRIAL = createTrialSql("", "");

  /**
   * Which trials occupy the trial target ({@link TrialTarget#occupies}), as an SQL condition on
   * {@code knobflow_trials}: RUNNING, COMPLETE, PRUNED, and FAIL unless stale or interrupted.
   */
  private static final String OCCUPIES =
      "(state IN ('RUNNING', 'COMPLETE', 'PRUNED') OR (state = 'FAIL' AND (fail_reason IS NULL OR"
          + " NOT (fail_reason LIKE '"
          + TrialTarget.STALE_REASON_PREFIX
          + "%' OR fail_reason LIKE '"
          + TrialTarget.INTERRUPTED_REASON_PREFIX
          + "%'))))";

  /** How many trials of a study (parameter 1) occupy its target. */
  private static final String COUNT_OCCUPYING =
      "SELECT count(*) FROM knobflow_trials WHERE study_id = ? AND " + OCCUPIES;

  /**
   * {@link #CREATE_TRIAL} only while the study's trials that occupy its target are fewer than
   * parameter 3 (parameters: the study id twice, the target, then {@link #CREATE_TRIAL}'s four
   * after the id). Run after {@link #LOCK_STUDY} in the same transaction, so that its snapshot,
   * taken once the lock is held, sees every trial created by the previous holder.
   */
  private static final String CREATE_TRIAL_BELOW_TARGET =
      createTrialSql(
          "o AS (" + COUNT_OCCUPYING.replace("count(*)", "count(*) AS k") + "),",
          " AND (SELECT k FROM o) < ?");

  /**
   * Locks the study's row (parameter 1): what orders the creators racing for the target (and the
   * plain creators, whose counter update takes the same lock). NO KEY UPDATE, so that inserts
   * referencing the study (its attributes) are not held up by it.
   */
  private static final String LOCK_STUDY =
      "SELECT id FROM knobflow_studies WHERE id = ? FOR NO KEY UPDATE";

  private static String createTrialSql(String before, String condition) {
    return "WITH "
        + before
        + " n AS (UPDATE knobflow_studies SET next_number = next_number + 1 WHERE id = ?"
        + condition
        + " RETURNING id, next_number - 1 AS number),"
        + " t AS (INSERT INTO knobflow_trials (study_id, number, state, started, changed)"
        + " SELECT n.id, n.number, ?, ?, pg_current_xact_id() FROM n RETURNING id, study_id,"
        + " number),"
        + " a AS (INSERT INTO knobflow_trial_attrs (trial_id, study_id, kind, key, value,"
        + " changed) SELECT t.id, t.study_id, 's', x.k, x.v, pg_current_xact_id()"
        + " FROM t, unnest(?::text[], ?::text[]) WITH ORDINALITY AS x(k, v, i) ORDER BY x.i)"
        + " SELECT number FROM t";
  }

  private static final String ATTR_INSERT =
      "INSERT INTO knobflow_trial_attrs (trial_id, study_id, kind, key, value, changed)"
          + " VALUES (?, ?, ?, ?, ?, pg_current_xact_id()) ON CONFLICT (trial_id, kind, key)"
          + " DO UPDATE SET value = excluded.value, changed = excluded.changed";

  @Override
  public Optional<FrozenTrial> claimWaitingTrial(String study) {
    long studyId = study(study).id();
    Instant now = Json.micros(options.clock().instant());
    Integer claimed =
        tx.statement(
            "claim waiting trial",
            (c, a) -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE knobflow_trials SET state = 'RUNNING', started = ?,"
                          + " changed = pg_current_xact_id() WHERE id = (SELECT id FROM"
                          + " knobflow_trials WHERE study_id = ? AND state = 'WAITING' ORDER BY"
                          + " number LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING number")) {
                s.setObject(1, Json.timestamp(now));
                s.setLong(2, studyId);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getInt(1) : null;
                }
              }
            });
    return claimed == null ? Optional.empty() : Optional.of(trial(study, claimed));
  }

  /**
   * One statement, one round trip: counts on the server the study's trials that occupy its target
   * (the rows found through the {@code (study_id, number)} index; none is sent to this process).
   */
  @Override
  public int trialsOccupyingTarget(String study) {
    long studyId = study(study).id();
    return tx.statement(
        "count trials occupying the target",
        (c, a) -> {
          try (PreparedStatement s = c.prepareStatement(COUNT_OCCUPYING)) {
            s.setLong(1, studyId);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  /**
   * True: a start below the target runs in one transaction that locks the study's row, counts and
   * inserts, so creators in every process end exactly at the target.
   */
  @Override
  public boolean holdsTargetExactly() {
    return true;
  }

  /**
   * Without a WAITING trial (one autocommitted statement on the waiting-trials index, one round
   * trip) nothing is locked. Otherwise one transaction: lock the study's row, claim the oldest
   * WAITING trial if fewer trials than {@code target} occupy the target, commit (three round
   * trips), then the claimed trial is read as {@link #claimWaitingTrial} does.
   */
  @Override
  public Optional<FrozenTrial> claimWaitingTrialBelowTarget(String study, long target) {
    long studyId = study(study).id();
    boolean anyWaiting =
        tx.statement(
            "look for a waiting trial",
            (c, a) -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT 1 FROM knobflow_trials WHERE study_id = ? AND state = 'WAITING'"
                          + " LIMIT 1")) {
                s.setLong(1, studyId);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next();
                }
              }
            });
    if (!anyWaiting) {
      return Optional.empty();
    }
    Instant now = Json.micros(options.clock().instant());
    Integer claimed =
        tx.write(
            "claim waiting trial below the target",
            (c, a) -> {
              lockStudy(c, studyId);
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE knobflow_trials SET state = 'RUNNING', started = ?,"
                          + " changed = pg_current_xact_id() WHERE id = (SELECT id FROM"
                          + " knobflow_trials WHERE study_id = ? AND state = 'WAITING' ORDER BY"
                          + " number LIMIT 1 FOR UPDATE SKIP LOCKED) AND ("
                          + COUNT_OCCUPYING
                          + ") < ? RETURNING number")) {
                s.setObject(1, Json.timestamp(now));
                s.setLong(2, studyId);
                s.setLong(3, studyId);
                s.setLong(4, target);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getInt(1) : null;
                }
              }
            });
    return claimed == null ? Optional.empty() : Optional.of(trial(study, claimed));
  }

  /**
   * One transaction sent as one multi-statement text, so one round trip: {@code BEGIN}, lock the
   * study's row, count the trials that occupy the target and insert the trial if they are fewer
   * than {@code target}, {@code COMMIT}. The lock is held only while the server runs the two
   * statements, never while the client is away, so creators in other workers queue for
   * microseconds, not for a client round trip. The insert runs after the lock is granted, so in
   * READ COMMITTED its snapshot sees every trial the previous holder created.
   */
  @Override
  public Optional<FrozenTrial> createTrialBelowTarget(
      String study, long target, Map<String, Object> systemAttrs) {
    long studyId = study(study).id();
    Instant started = Json.micros(options.clock().instant());
    Map<String, String> attrs = new LinkedHashMap<>();
    systemAttrs.forEach((k, v) -> attrs.put(k, Json.write(v)));
    String[] keys = attrs.keySet().toArray(String[]::new);
    String[] values = attrs.values().toArray(String[]::new);
    Integer number =
        tx.statement(
            "create trial below the target",
            (c, a) -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "BEGIN; " + LOCK_STUDY + "; " + CREATE_TRIAL_BELOW_TARGET + "; COMMIT")) {
                s.setLong(1, studyId);
                s.setLong(2, studyId);
                s.setLong(3, studyId);
                s.setLong(4, target);
                s.setString(5, TrialState.RUNNING.name());
                s.setObject(6, Json.timestamp(started));
                s.setArray(7, c.createArrayOf("text", keys));
                s.setArray(8, c.createArrayOf("text", values));
                return createdNumber(c, s);
              }
            });
    return number == null
        ? Optional.empty()
        : Optional.of(created(number, TrialState.RUNNING, started, systemAttrs));
  }

  /**
   * Runs the multi-statement create and returns the number it inserted, or null when the target was
   * reached. Result sets in order: the lock's row, then the insert's number (empty when it inserted
   * nothing). A failure part-way may leave the transaction open on the pooled connection, so it is
   * rolled back before the error goes on to the retry policy.
   */
  private static @Nullable Integer createdNumber(Connection c, PreparedStatement s)
      throws SQLException {
    try {
      boolean isResultSet = s.execute();
      int set = 0;
      Integer number = null;
      while (true) {
        if (isResultSet) {
          try (ResultSet rs = s.getResultSet()) {
            if (set++ == 1 && rs.next()) {
              number = rs.getInt(1);
            }
          }
        } else if (s.getUpdateCount() == -1) {
          break;
        }
        isResultSet = s.getMoreResults();
      }
      if (set != 2) {
        throw new SQLException("the create below the target returned " + set + " result sets");
      }
      return number;
    } catch (SQLException | RuntimeException e) {
      try (Statement r = c.createStatement()) {
        r.execute("ROLLBACK");
      } catch (SQLException ignored) {
        // A broken connection: the pool discards it.
      }
      throw e;
    }
  }

  private static void lockStudy(Connection c, long studyId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOCK_STUDY)) {
      s.setLong(1, studyId);
      s.executeQuery().close();
    }
  }

  /** The states of a trial not yet finished, as SQL: {@code ('RUNNING', 'WAITING')}. */
  private static final String UNFINISHED =
      Arrays.stream(TrialState.values())
          .filter(st -> !st.isFinished())
          .map(st -> "'" + st.name() + "'")
          .collect(Collectors.joining(", ", "(", ")"));

  /**
   * Sets a parameter of an unfinished trial (row locked, so a concurrent finish goes first or
   * after) unless it exists with another distribution; returns a row when it did.
   */
  private static final String SET_PARAM =
      "INSERT INTO knobflow_params (trial_id, study_id, name, distribution, value, changed)"
          + " SELECT t.id, t.study_id, ?, ?, ?, pg_current_xact_id() FROM knobflow_trials t"
          + " WHERE t.study_id = ? AND t.number = ? AND t.state IN "
          + UNFINISHED
          + " FOR UPDATE ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value,"
          + " changed = excluded.changed WHERE knobflow_params.distribution ="
          + " excluded.distribution RETURNING 1";

  // SET_PARAM for several parameters at once: the arrays (names, distributions, values) unnested
  // in their order (ord follows it); one row back per parameter written.
  private static final String SET_PARAMS =
      "INSERT INTO knobflow_params (trial_id, study_id, name, distribution, value, changed)"
          + " SELECT t.id, t.study_id, p.name, p.distribution, p.value, pg_current_xact_id()"
          + " FROM knobflow_trials t CROSS JOIN unnest(?::text[], ?::text[], ?::text[])"
          + " WITH ORDINALITY AS p(name, distribution, value, i)"
          + " WHERE t.study_id = ? AND t.number = ? AND t.state IN "
          + UNFINISHED
          + " ORDER BY p.i FOR UPDATE OF t ON CONFLICT (trial_id, name) DO UPDATE SET"
          + " value = excluded.value, changed = excluded.changed WHERE"
          + " knobflow_params.distribution = excluded.distribution RETURNING 1";

  /** Locks the trial's row and returns its id and state. */
  private record Locked(long id, TrialState state) {}

  private static Locked lock(Connection c, long studyId, String study, int number)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, state FROM knobflow_trials WHERE study_id = ? AND number = ? FOR UPDATE")) {
      s.setLong(1, studyId);
      s.setInt(2, number);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchElementException("study '" + study + "' has no trial " + number);
        }
        return new Locked(rs.getLong(1), TrialState.valueOf(rs.getString(2)));
      }
    }
  }

  private static Locked lockUnfinished(Connection c, long studyId, String study, int number)
      throws SQLException {
    Locked t = lock(c, studyId, study, number);
    if (t.state().isFinished()) {
      throw new TrialAlreadyFinishedException(study, number, t.state());
    }
    return t;
  }

  @Override
  public void setParam(
      String study, int number, String name, Distribution distribution, Object value) {
    long studyId = study(study).id();
    String dist = Json.write(DistributionJson.toMap(distribution));
    String json = Json.write(value);
    // The common case in one autocommitted statement: the trial is unfinished and the parameter
    // new or set again with the same distribution. Anything else (no such trial, a finished one, a
    // different distribution) takes the checking transaction below, which says what is wrong.
    boolean done =
        tx.statement(
            "set parameter",
            (c, a) -> {
              try (PreparedStatement s = c.prepareStatement(SET_PARAM)) {
                s.setString(1, name);
                s.setString(2, dist);
                s.setString(3, json);
                s.setLong(4, studyId);
                s.setInt(5, number);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next();
                }
              }
            });
    if (done) {
      return;
    }
    tx.write(
        "set parameter",
        (c, a) -> {
          Locked t = lockUnfinished(c, studyId, study, number);
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT distribution FROM knobflow_params WHERE trial_id = ? AND name = ?")) {
            s.setLong(1, t.id());
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                StorageRules.requireSameDistribution(
                    number,
                    name,
                    DistributionJson.fromJson(Json.tree(rs.getString(1))),
                    distribution);
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO knobflow_params (trial_id, study_id, name, distribution, value,"
                      + " changed) VALUES (?, ?, ?, ?, ?, pg_current_xact_id()) ON CONFLICT"
                      + " (trial_id, name) DO UPDATE SET value = excluded.value,"
                      + " changed = excluded.changed")) {
            s.setLong(1, t.id());
            s.setLong(2, studyId);
            s.setString(3, name);
            s.setString(4, dist);
            s.setString(5, json);
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * The parameters in one autocommitted statement (one round trip) in the common case; if any of
   * them is not written that way (no such trial, a finished one, a different distribution), each
   * goes through {@link #setParam}, which writes the valid ones again and says what is wrong.
   */
  @Override
  public void setParams(String study, int number, Map<String, ParamValue> params) {
    if (params.isEmpty()) {
      return;
    }
    long studyId = study(study).id();
    String[] names = new String[params.size()];
    String[] dists = new String[params.size()];
    String[] values = new String[params.size()];
    int i = 0;
    for (Map.Entry<String, ParamValue> e : params.entrySet()) {
      names[i] = e.getKey();
      dists[i] = Json.write(DistributionJson.toMap(e.getValue().distribution()));
      values[i] = Json.write(e.getValue().value());
      i++;
    }
    int written =
        tx.statement(
            "set parameters",
            (c, a) -> {
              try (PreparedStatement s = c.prepareStatement(SET_PARAMS)) {
                s.setArray(1, c.createArrayOf("text", names));
                s.setArray(2, c.createArrayOf("text", dists));
                s.setArray(3, c.createArrayOf("text", values));
                s.setLong(4, studyId);
                s.setInt(5, number);
                int rows = 0;
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    rows++;
                  }
                }
                return rows;
              }
            });
    if (written == params.size()) {
      return;
    }
    for (Map.Entry<String, ParamValue> e : params.entrySet()) {
      setParam(study, number, e.getKey(), e.getValue().distribution(), e.getValue().value());
    }
  }

  @Override
  public void reportIntermediate(String study, int number, long step, List<Double> values) {
    long studyId = study(study).id();
    String json = Json.write(values);
    tx.write(
        "report intermediate value",
        (c, a) -> {
          Locked t = lockUnfinished(c, studyId, study, number);
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO knobflow_intermediate (trial_id, study_id, step, step_values,"
                      + " changed) VALUES (?, ?, ?, ?, pg_current_xact_id()) ON CONFLICT"
                      + " (trial_id, step) DO UPDATE SET step_values = excluded.step_values,"
                      + " changed = excluded.changed")) {
            s.setLong(1, t.id());
            s.setLong(2, studyId);
            s.setLong(3, step);
            s.setString(4, json);
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void setUserAttr(String study, int number, String key, Object value) {
    setTrialAttr(study, number, "u", key, value);
  }

  @Override
  public void setSystemAttr(String study, int number, String key, Object value) {
    setTrialAttr(study, number, "s", key, value);
  }

  private void setTrialAttr(String study, int number, String kind, String key, Object value) {
    long studyId = study(study).id();
    String json = Json.write(value);
    tx.write(
        "set trial attribute",
        (c, a) -> {
          Locked t = lock(c, studyId, study, number);
          try (PreparedStatement s = c.prepareStatement(ATTR_INSERT)) {
            s.setLong(1, t.id());
            s.setLong(2, studyId);
            s.setString(3, kind);
            s.setString(4, key);
            s.setString(5, json);
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void setBudget(String study, int number, double budget) {
    updateTrial(study, number, "set budget", "budget = ?", "", s -> s.setDouble(1, budget), true);
  }

  @Override
  public void heartbeat(String study, int number, Instant at) {
    updateTrial(
        study,
        number,
        "heartbeat",
        "heartbeat = ?",
        " AND state = 'RUNNING'",
        s -> s.setObject(1, Json.timestamp(at)),
        false);
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private void updateTrial(
      String study,
      int number,
      String operation,
      String set,
      String condition,
      Binder binder,
      boolean mustExist) {
    long studyId = study(study).id();
    tx.write(
        operation,
        (c, a) -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE knobflow_trials SET "
                      + set
                      + ", changed = pg_current_xact_id() WHERE study_id = ? AND number = ?"
                      + condition)) {
            binder.bind(s);
            s.setLong(2, studyId);
            s.setInt(3, number);
            if (s.executeUpdate() == 0 && mustExist) {
              throw new NoSuchElementException("study '" + study + "' has no trial " + number);
            }
          }
          return null;
        });
  }

  @Override
  public FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    StudyRef ref = study(study);
    if (outcome.state() == TrialState.COMPLETE
        && outcome.values().size() != ref.objectives().size()) {
      throw new IllegalArgumentException(
          "trial "
              + number
              + " of study '"
              + study
              + "' has "
              + outcome.values().size()
              + " values but the study has "
              + ref.objectives().size()
              + " objectives");
    }
    Instant at = Json.micros(outcome.at());
    // The common case in one autocommitted statement: the trial is unfinished. Otherwise (no such
    // trial, already finished, or our own earlier attempt committed but its answer was lost) the
    // checking transaction below decides.
    AtomicBoolean retried = new AtomicBoolean();
    boolean done =
        tx.statement(
            "finish trial",
            (c, attempt) -> {
              retried.compareAndSet(false, attempt > 1);
              try (PreparedStatement s =
                  c.prepareStatement(
                      FINISH
                          + " WHERE study_id = ? AND number = ? AND state IN "
                          + UNFINISHED
                          + " RETURNING id")) {
                int i = setFinish(s, outcome, at);
                s.setLong(i, ref.id());
                s.setInt(i + 1, number);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next();
                }
              }
            });
    if (done) {
      return trial(study, number);
    }
    tx.write(
        "finish trial",
        (c, attempt) -> {
          Locked t = lock(c, ref.id(), study, number);
          if (t.state().isFinished()) {
            if ((attempt > 1 || retried.get())
                && t.state() == outcome.state()
                && finishedAt(c, t.id(), at)) {
              return null; // our own commit of an earlier attempt, whose acknowledgement was lost
            }
            throw new TrialAlreadyFinishedException(study, number, t.state());
          }
          try (PreparedStatement s = c.prepareStatement(FINISH + " WHERE id = ?")) {
            s.setLong(setFinish(s, outcome, at), t.id());
            s.executeUpdate();
          }
          return null;
        });
    return trial(study, number);
  }

  private static final String FINISH =
      "UPDATE knobflow_trials SET state = ?, objective_values = ?, constraint_values = ?,"
          + " metrics = ?, fail_reason = ?, completed = ?, started = coalesce(started, ?),"
          + " changed = pg_current_xact_id()";

  /** Binds {@link #FINISH}'s parameters; returns the index of the next one. */
  private static int setFinish(PreparedStatement s, TrialOutcome outcome, Instant at)
      throws SQLException {
    s.setString(1, outcome.state().name());
    s.setString(2, Json.write(outcome.values()));
    s.setString(3, Json.write(outcome.constraints()));
    s.setString(4, Json.write(outcome.metrics()));
    s.setString(5, outcome.reason());
    s.setObject(6, Json.timestamp(at));
    s.setObject(7, Json.timestamp(at));
    return 8;
  }

  private static boolean finishedAt(Connection c, long trialId, Instant at) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT completed FROM knobflow_trials WHERE id = ?")) {
      s.setLong(1, trialId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && at.equals(Json.instant(rs, 1));
      }
    }
  }

  @Override
  public FrozenTrial trial(String study, int number) {
    long id = study(study).id();
    return caches
        .computeIfAbsent(study, s -> new TrialCache(id))
        .readOne(tx, number)
        .orElseThrow(
            () -> new NoSuchElementException("study '" + study + "' has no trial " + number));
  }

  @Override
  public List<FrozenTrial> trials(String study) {
    long id = study(study).id();
    return caches.computeIfAbsent(study, s -> new TrialCache(id)).refresh(tx);
  }

  /** Rows this process has read to keep its copy of {@code study} current. */
  public long rowsRead(String study) {
    TrialCache cache = caches.get(study);
    return cache == null ? 0 : cache.rowsRead();
  }

  @Override
  public void close() {
    tx.close();
  }
}
