package dev.knobflow.plugin.postgres;

import dev.knobflow.mlflowrest.Retrier;
import dev.knobflow.optimizers.storage.StorageException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Which database failures are worth another attempt, and how to say what went wrong: the PostgreSQL
 * side of the project's one {@link Retrier}.
 *
 * <p>Transient: connection failures (SQLSTATE class 08), the server shutting down or starting
 * (57P01-57P03), serialization failures and deadlocks (40001, 40P01), too many connections (53300)
 * and the pool timing out while the server is away. Not transient: authentication (28xxx), a
 * missing database (3D000), missing privileges (42501) and every other error.
 */
final class PostgresFailures implements Retrier.Failures {

  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "40001", "40P01", "53300");

  private final String where;

  /**
   * @param where the storage described without its password
   */
  PostgresFailures(String where) {
    this.where = where;
  }

  @Override
  public boolean isTransient(Exception failure) {
    boolean transientSeen = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || TRANSIENT_STATES.contains(state)) {
          return true;
        }
        if (isFatal(state)) {
          return false;
        }
      }
      if (t instanceof SQLTransientException || t instanceof java.net.ConnectException) {
        transientSeen = true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return transientSeen;
  }

  private static boolean isFatal(String state) {
    return state.startsWith("28") || state.equals("3D000") || state.equals("42501");
  }

  @Override
  public RuntimeException describe(String operation, Exception failure) {
    SQLException sql = firstSql(failure);
    if (sql == null && failure instanceof RuntimeException runtime && !isTransient(failure)) {
      return runtime;
    }
    Throwable reasonSource = sql != null ? deepestSql(sql) : failure;
    String reason = redact(String.valueOf(reasonSource.getMessage())).strip();
    String state = sql == null ? null : deepestSql(sql).getSQLState();
    return new StorageException(
        "PostgreSQL storage "
            + where
            + ": "
            + operation
            + " failed: "
            + reason
            + hint(state, failure),
        failure);
  }

  private String hint(String state, Exception failure) {
    if (state == null) {
      return isTransient(failure)
          ? " (the server did not answer in time, even after retries: is it running?)"
          : "";
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return " (check the user and the password: in the URL, PGPASSWORD or ~/.pgpass)";
    }
    if (state.equals("3D000")) {
      return " (create the database first, e.g. createdb, or fix the URL's /DB)";
    }
    if (state.startsWith("08")) {
      return " (is the server running and reachable at that host and port? retried before giving"
          + " up)";
    }
    if (state.equals("42501")) {
      return " (the user needs CREATE on the database for Knobflow's tables, and read/write on"
          + " them)";
    }
    return "";
  }

  @Override
  public String redact(String text) {
    return PostgresUrl.redact(text);
  }

  private static SQLException firstSql(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  /** The innermost SQLException with a state: the driver's own, under the pool's wrapper. */
  private static SQLException deepestSql(SQLException sql) {
    SQLException best = sql;
    for (Throwable t = sql; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        best = s;
      }
    }
    return best;
  }
}
