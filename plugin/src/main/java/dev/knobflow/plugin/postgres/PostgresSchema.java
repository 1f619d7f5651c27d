package dev.knobflow.plugin.postgres;

import dev.knobflow.optimizers.storage.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Knobflow's tables and their version. Every table is prefixed {@code knobflow_}, so the same
 * database can hold MLflow's backend store. {@code knobflow_schema_version} holds one row: the
 * version the tables have. Opening a storage creates the tables, or upgrades older ones step by
 * step, under a transaction-scoped advisory lock so that workers starting together do it once (a
 * database already at this version is only read, without the lock); a version newer than this
 * Knobflow knows is refused.
 *
 * <p>Every row that a reader caches carries {@code changed}, the id of the transaction that last
 * wrote it ({@code pg_current_xact_id()}), so readers fetch only what changed since their last read
 * (see {@link TrialCache}).
 */
final class PostgresSchema {

  /** The version this Knobflow writes. */
  static final int CURRENT = 1;

  /** Serialises schema creation and upgrades across processes ("knobflow" in ASCII). */
  static final long LOCK_KEY = 0x6b6e6f62666c6f77L;

  /** The statements that bring version {@code i} to {@code i + 1}, at index {@code i}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE knobflow_studies (
                id bigserial PRIMARY KEY,
                name text NOT NULL UNIQUE,
                objectives text NOT NULL,
                created timestamptz NOT NULL,
                next_number integer NOT NULL DEFAULT 0)""",
              """
              CREATE TABLE knobflow_study_attrs (
                study_id bigint NOT NULL REFERENCES knobflow_studies (id),
                key text NOT NULL,
                value text NOT NULL,
                ord bigserial,
                PRIMARY KEY (study_id, key))""",
              """
              CREATE TABLE knobflow_trials (
                id bigserial PRIMARY KEY,
                study_id bigint NOT NULL REFERENCES knobflow_studies (id),
                number integer NOT NULL,
                state text NOT NULL,
                objective_values text NOT NULL DEFAULT '[]',
                constraint_values text NOT NULL DEFAULT '[]',
                metrics text NOT NULL DEFAULT '{}',
                budget double precision,
                started timestamptz,
                completed timestamptz,
                heartbeat timestamptz,
                fail_reason text,
                changed xid8 NOT NULL,
                UNIQUE (study_id, number))""",
              "CREATE INDEX knobflow_trials_changed ON knobflow_trials (study_id, changed)",
              "CREATE INDEX knobflow_trials_waiting ON knobflow_trials (study_id, number)"
                  + " WHERE state = 'WAITING'",
              """
              CREATE TABLE knobflow_params (
                trial_id bigint NOT NULL REFERENCES knobflow_trials (id),
                study_id bigint NOT NULL,
                name text NOT NULL,
                distribution text NOT NULL,
                value text NOT NULL,
                ord bigserial,
                changed xid8 NOT NULL,
                PRIMARY KEY (trial_id, name))""",
              "CREATE INDEX knobflow_params_changed ON knobflow_params (study_id, changed)",
              """
              CREATE TABLE knobflow_trial_attrs (
                trial_id bigint NOT NULL REFERENCES knobflow_trials (id),
                study_id bigint NOT NULL,
                kind char(1) NOT NULL,
                key text NOT NULL,
                value text NOT NULL,
                ord bigserial,
                changed xid8 NOT NULL,
                PRIMARY KEY (trial_id, kind, key))""",
              "CREATE INDEX knobflow_trial_attrs_changed ON knobflow_trial_attrs (study_id, changed)",
              """
              CREATE TABLE knobflow_intermediate (
                trial_id bigint NOT NULL REFERENCES knobflow_trials (id),
                study_id bigint NOT NULL,
                step bigint NOT NULL,
                step_values text NOT NULL,
                changed xid8 NOT NULL,
                PRIMARY KEY (trial_id, step))""",
              "CREATE INDEX knobflow_intermediate_changed ON knobflow_intermediate"
                  + " (study_id, changed)"));

  private PostgresSchema() {}

  /**
   * Creates or upgrades the tables in one transaction.
   *
   * @param where the storage, described without its password, for messages
   * @return the version found before (0 for a database without Knobflow's tables)
   * @throws StorageException if the database has a newer version than {@link #CURRENT}
   */
  static int ensure(Connection c, String where) throws SQLException {
    return ensure(c, where, CURRENT);
  }

  /** {@link #ensure(Connection, String)} up to {@code target}, for tests of the version check. */
  static int ensure(Connection c, String where, int target) throws SQLException {
    try (Statement s = c.createStatement()) {
      // The usual case, a worker joining a database already at this version, takes no lock:
      // workers starting together would otherwise queue on it one after the other, each holding
      // it until its transaction commits (64 worker JVMs starting on 2 cores: seconds each).
      boolean hasVersionTable;
      try (ResultSet rs =
          s.executeQuery("SELECT to_regclass('knobflow_schema_version') IS NOT NULL")) {
        hasVersionTable = rs.next() && rs.getBoolean(1);
      }
      if (hasVersionTable) {
        int found = version(s, where, target);
        if (found == target) {
          return found;
        }
      }
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      s.execute(
          "CREATE TABLE IF NOT EXISTS knobflow_schema_version ("
              + "version integer NOT NULL, upgraded timestamptz NOT NULL DEFAULT now())");
      int found = version(s, where, target); // again: another process may have upgraded meanwhile
      for (int v = found; v < target; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          s.execute(sql);
        }
      }
      if (found < target) {
        s.execute("DELETE FROM knobflow_schema_version");
        s.execute("INSERT INTO knobflow_schema_version (version) VALUES (" + target + ")");
      }
      return found;
    }
  }

  /** The version the tables have (0: none yet), refused if newer than {@code target}. */
  private static int version(Statement s, String where, int target) throws SQLException {
    int found = 0;
    try (ResultSet rs = s.executeQuery("SELECT max(version) FROM knobflow_schema_version")) {
      if (rs.next()) {
        found = rs.getInt(1);
      }
    }
    if (found > target) {
      throw new StorageException(
          "the PostgreSQL storage "
              + where
              + " has Knobflow schema version "
              + found
              + ", newer than this Knobflow knows (version "
              + target
              + "); use a Knobflow release at least as new as the one that wrote it");
    }
    return found;
  }
}
