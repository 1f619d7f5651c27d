package dev.knobflow.plugin.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.knobflow.mlflowrest.Retrier;
import dev.knobflow.time.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small connection pool and the transactions run on it, each retried as a whole under the
 * project's {@link RetryPolicy} when the failure is transient (the server restarting, a dropped
 * connection, a serialization failure).
 */
final class Transactions implements AutoCloseable {

  /** A unit of work in one transaction. */
  interface Work<T> {
    /**
     * @param attempt 1 for the first attempt, more for retries (a retry after a lost commit
     *     acknowledgement may find its own earlier write)
     */
    T run(Connection c, int attempt) throws SQLException;
  }

  private final HikariDataSource pool;
  private final Retrier retrier;
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  private Transactions(HikariDataSource pool, Retrier retrier) {
    this.pool = pool;
    this.retrier = retrier;
  }

  /** Opens the pool (retrying while the server is unreachable). */
  static Transactions open(
      PostgresUrl url, String password, PostgresStorage.Options options, Retrier retrier) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("knobflow-postgres");
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(url.user());
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(url.poolSize().orElse(options.poolSize()));
    config.setMinimumIdle(1);
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setInitializationFailTimeout(1);
    config.setAutoCommit(false);
    // Writes run at the connections' own level: no SET per transaction, no reset on return.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.addDataSourceProperty("ApplicationName", "knobflow");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty(
        "connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    url.driverProperties().forEach(config::addDataSourceProperty);
    HikariDataSource pool = retrier.call("connect", () -> new HikariDataSource(config));
    return new Transactions(pool, retrier);
  }

  /** Runs {@code work} in a read-write transaction (READ COMMITTED) and commits it. */
  <T> T write(String operation, Work<T> work) {
    return run(operation, Mode.WRITE, work);
  }

  /**
   * Runs {@code work}, which must issue exactly one statement, as its own transaction (autocommit):
   * one round trip to the server instead of two (the statement, then COMMIT), and no lock held
   * while the client is away. For the per-trial hot path; the statement is committed when it
   * returns. The one statement may also be a multi-statement text that opens and ends its own
   * transaction ({@code BEGIN ...; ...; COMMIT}), sent in one round trip.
   */
  <T> T statement(String operation, Work<T> work) {
    return run(operation, Mode.STATEMENT, work);
  }

  private enum Mode {
    WRITE,
    STATEMENT
  }

  private <T> T run(String operation, Mode mode, Work<T> work) {
    AtomicInteger attempt = new AtomicInteger();
    return retrier.call(
        operation,
        () -> {
          long start = System.nanoTime();
          try (Connection c = pool.getConnection()) {
            if (mode == Mode.STATEMENT) {
              c.setAutoCommit(true); // the pool sets it back when the connection returns
              return work.run(c, attempt.incrementAndGet());
            }
            try {
              T result = work.run(c, attempt.incrementAndGet());
              c.commit();
              return result;
            } catch (SQLException | RuntimeException e) {
              rollbackQuietly(c);
              throw e;
            }
          } finally {
            transactions.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - start);
          }
        });
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the transaction is gone anyway.
    }
  }

  /** Transactions run so far (attempts included) and the wall time spent in them. */
  PostgresStorage.Stats stats() {
    return new PostgresStorage.Stats(transactions.get(), nanos.get() / 1e9, retrier.retries());
  }

  @Override
  public void close() {
    pool.close();
  }
}
