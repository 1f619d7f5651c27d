package dev.knobflow.plugin.postgres;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One process's copy of a study's trials, brought up to date by reading only the rows changed since
 * the last read.
 *
 * <p>Every write stamps its rows with its transaction id ({@code changed = pg_current_xact_id()}).
 * A read runs in one REPEATABLE READ snapshot and also takes that snapshot's {@code xmin}: every
 * transaction with a smaller id had ended when the snapshot was taken, so its writes were in this
 * read. The next read therefore asks only for rows with {@code changed >= xmin}; rows of
 * transactions still running at this read are read again then, which is harmless (rows replace
 * their cached copy). A worker's read cost thus follows what changed, not the study's size.
 */
final class TrialCache {

  private final long studyId;

  /** Null for a study's copy; a trial's number for a one-trial read ({@link #readOne}). */
  private final Integer onlyNumber;

  private long watermark;
  private final TreeMap<Integer, TrialRow> byNumber = new TreeMap<>();
  private final Map<Long, TrialRow> byId = new HashMap<>();
  private List<FrozenTrial> snapshot = List.of();
  private long rowsRead;

  TrialCache(long studyId) {
    this(studyId, null);
  }

  private TrialCache(long studyId, Integer onlyNumber) {
    this.studyId = studyId;
    this.onlyNumber = onlyNumber;
  }

  /** Refreshes begun so far; a refresh's index is this count just after it began. */
  private volatile long begun;

  /** The index of the latest refresh that has completed. */
  private long completed;

  /**
   * Reads what changed since the last call and returns every trial in number order: at least every
   * write committed before this call.
   *
   * <p>Concurrent callers share reads: one that waited while another thread's refresh began after
   * it had called takes that refresh's result (its snapshot was taken after the call, so it holds
   * the caller's writes) instead of reading again. With many worker threads in one process this
   * turns one read per caller into one per burst.
   */
  List<FrozenTrial> refresh(Transactions tx) {
    long calledAfter = begun;
    synchronized (this) {
      if (completed > calledAfter) {
        return snapshot;
      }
      begun++;
      long index = begun;
      List<FrozenTrial> out = read(tx);
      completed = index;
      return out;
    }
  }

  private List<FrozenTrial> read(Transactions tx) {
    Delta delta = tx.statement("read trials", (c, attempt) -> readDelta(c));
    if (!delta.isEmpty()) {
      apply(delta);
      List<FrozenTrial> out = new ArrayList<>(byNumber.size());
      for (TrialRow row : byNumber.values()) {
        out.add(row.snapshot());
      }
      snapshot = Collections.unmodifiableList(out);
    }
    watermark = delta.nextWatermark;
    return snapshot;
  }

  /** Rows read so far: the cost of keeping this copy current (for tests and benchmarks). */
  synchronized long rowsRead() {
    return rowsRead;
  }

  /**
   * Reads trial {@code number} alone, as the database holds it now (at least every write committed
   * before this call), in one round trip, without touching this copy: looking up one trial (after a
   * worker finishes or starts it, every trial) then costs that trial's rows, not those of every
   * trial other workers changed since the last refresh. Its rows count in {@link #rowsRead()}.
   */
  Optional<FrozenTrial> readOne(Transactions tx, int number) {
    TrialCache one = new TrialCache(studyId, number);
    one.read(tx);
    synchronized (this) {
      rowsRead += one.rowsRead;
    }
    TrialRow row = one.byNumber.get(number);
    return row == null ? Optional.empty() : Optional.of(row.snapshot());
  }

  // ---------------------------------------------------------------------------------------------

  private record ParamRow(long trialId, String name, Distribution distribution, Object value) {}

  private record AttrRow(long trialId, boolean user, String key, Object value) {}

  private record StepRow(long trialId, long step, List<Double> values) {}

  private static final class Delta {
    long nextWatermark;
    final List<TrialRow> trials = new ArrayList<>();
    final List<ParamRow> params = new ArrayList<>();
    final List<AttrRow> attrs = new ArrayList<>();
    final List<StepRow> steps = new ArrayList<>();

    boolean isEmpty() {
      return trials.isEmpty() && params.isEmpty() && attrs.isEmpty() && steps.isEmpty();
    }

    int size() {
      return trials.size() + params.size() + attrs.size() + steps.size();
    }
  }

  /**
   * The read, as one multi-statement text: PgJDBC sends its statements together and reads their
   * results together, so a refresh is one round trip to the server (it was seven, one per
   * statement, each waiting for the server and, on a loaded machine, for a core). {@code BEGIN ...
   * REPEATABLE READ} makes the statements share one snapshot; the first SELECT checks that they do.
   * The two numbers are formatted in, not bound: multi-statement texts take no parameters.
   */
  private String readSql() {
    String where = " WHERE study_id = " + studyId + " AND changed >= '" + watermark + "'::xid8";
    String trialWhere = where;
    String childWhere = where;
    if (onlyNumber != null) {
      trialWhere += " AND number = " + onlyNumber;
      childWhere +=
          " AND trial_id = (SELECT id FROM knobflow_trials WHERE study_id = "
              + studyId
              + " AND number = "
              + onlyNumber
              + ")";
    }
    return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
        + " SELECT pg_snapshot_xmin(pg_current_snapshot())::text,"
        + " current_setting('transaction_isolation');"
        + " SELECT id, number, state, objective_values, constraint_values, metrics, budget,"
        + " started, completed, heartbeat, fail_reason FROM knobflow_trials"
        + trialWhere
        + "; SELECT trial_id, name, distribution, value FROM knobflow_params"
        + childWhere
        + " ORDER BY ord; SELECT trial_id, kind, key, value FROM knobflow_trial_attrs"
        + childWhere
        + " ORDER BY ord; SELECT trial_id, step, step_values FROM knobflow_intermediate"
        + childWhere
        + "; COMMIT";
  }

  private Delta readDelta(Connection c) throws SQLException {
    Delta d = new Delta();
    try (Statement s = c.createStatement()) {
      boolean isResultSet = s.execute(readSql());
      int set = 0;
      while (true) {
        if (isResultSet) {
          try (ResultSet rs = s.getResultSet()) {
            readResult(set++, rs, d);
          }
        } else if (s.getUpdateCount() == -1) {
          break;
        }
        isResultSet = s.getMoreResults();
      }
      if (set != 5) {
        throw new SQLException("the trial read returned " + set + " result sets, expected 5");
      }
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    return d;
  }

  /** A failed multi-statement text may leave its transaction open on the pooled connection. */
  private static void rollbackQuietly(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // A broken connection: the pool discards it.
    }
  }

  private static void readResult(int set, ResultSet rs, Delta d) throws SQLException {
    switch (set) {
      case 0 -> {
        rs.next();
        d.nextWatermark = Long.parseLong(rs.getString(1));
        if (!"repeatable read".equals(rs.getString(2))) {
          throw new IllegalStateException(
              "the trial read ran at " + rs.getString(2) + ", not one REPEATABLE READ snapshot");
        }
      }
      case 1 -> {
        while (rs.next()) {
          TrialRow t = new TrialRow(rs.getLong(1), rs.getInt(2));
          t.state = TrialState.valueOf(rs.getString(3));
          t.values = Json.doubles(rs.getString(4));
          t.constraints = Json.doubles(rs.getString(5));
          t.metrics = Json.metrics(rs.getString(6));
          double budget = rs.getDouble(7);
          t.budget = rs.wasNull() ? Double.NaN : budget;
          t.started = Json.instant(rs, 8);
          t.completed = Json.instant(rs, 9);
          t.heartbeat = Json.instant(rs, 10);
          t.failReason = rs.getString(11);
          d.trials.add(t);
        }
      }
      case 2 -> {
        while (rs.next()) {
          Distribution dist = DistributionJson.fromJson(Json.tree(rs.getString(3)));
          Object value =
              DistributionJson.canonicalValue(
                  dist, DistributionJson.scalar(Json.tree(rs.getString(4))));
          d.params.add(new ParamRow(rs.getLong(1), rs.getString(2), dist, value));
        }
      }
      case 3 -> {
        while (rs.next()) {
          d.attrs.add(
              new AttrRow(
                  rs.getLong(1),
                  "u".equals(rs.getString(2)),
                  rs.getString(3),
                  Json.plain(rs.getString(4))));
        }
      }
      case 4 -> {
        while (rs.next()) {
          d.steps.add(new StepRow(rs.getLong(1), rs.getLong(2), Json.doubles(rs.getString(3))));
        }
      }
      default -> throw new SQLException("the trial read returned more result sets than 5");
    }
  }

  private void apply(Delta d) {
    rowsRead += d.size();
    for (TrialRow fresh : d.trials) {
      TrialRow known = byId.get(fresh.id);
      if (known == null) {
        byId.put(fresh.id, fresh);
        byNumber.put(fresh.number, fresh);
      } else {
        known.copyScalars(fresh);
      }
    }
    for (ParamRow p : d.params) {
      TrialRow t = byId.get(p.trialId);
      if (t != null) {
        t.distributions.put(p.name, p.distribution);
        t.params.put(p.name, p.value);
        t.cached = null;
      }
    }
    for (AttrRow a : d.attrs) {
      TrialRow t = byId.get(a.trialId);
      if (t != null) {
        (a.user ? t.userAttrs : t.systemAttrs).put(a.key, a.value);
        t.cached = null;
      }
    }
    for (StepRow s : d.steps) {
      TrialRow t = byId.get(s.trialId);
      if (t != null) {
        t.intermediate.put(s.step, s.values);
        t.cached = null;
      }
    }
  }

  /** A trial as cached: scalar columns replaced on each read, children merged in. */
  private static final class TrialRow {
    final long id;
    final int number;
    TrialState state;
    List<Double> values = List.of();
    List<Double> constraints = List.of();
    Map<String, Double> metrics = Map.of();
    double budget = Double.NaN;
    Instant started;
    Instant completed;
    Instant heartbeat;
    String failReason;
    final Map<String, Object> params = new LinkedHashMap<>();
    final Map<String, Distribution> distributions = new LinkedHashMap<>();
    final Map<String, Object> userAttrs = new LinkedHashMap<>();
    final Map<String, Object> systemAttrs = new LinkedHashMap<>();
    final TreeMap<Long, List<Double>> intermediate = new TreeMap<>();
    FrozenTrial cached;

    TrialRow(long id, int number) {
      this.id = id;
      this.number = number;
    }

    void copyScalars(TrialRow o) {
      state = o.state;
      values = o.values;
      constraints = o.constraints;
      metrics = o.metrics;
      budget = o.budget;
      started = o.started;
      completed = o.completed;
      heartbeat = o.heartbeat;
      failReason = o.failReason;
      cached = null;
    }

    FrozenTrial snapshot() {
      if (cached == null) {
        cached =
            new FrozenTrial(
                number,
                state,
                values,
                params,
                distributions,
                intermediate,
                constraints,
                metrics,
                userAttrs,
                systemAttrs,
                budget,
                started,
                completed,
                heartbeat,
                failReason);
      }
      return cached;
    }
  }
}
