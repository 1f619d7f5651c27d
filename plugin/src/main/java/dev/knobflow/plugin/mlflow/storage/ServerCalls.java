package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowRuns;
import dev.knobflow.mlflowrest.MlflowTrackingException;
import dev.knobflow.mlflowrest.MlflowWriter;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.time.Clock;
import dev.knobflow.time.RetryPolicy;
import dev.knobflow.time.Sleeper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage's calls to the tracking server: synchronous reads and writes that must be visible to
 * other workers before going on, both riding out server outages up to {@link
 * MlflowStorageOptions#outageTolerance()}.
 */
final class ServerCalls {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCalls.class);

  private final MlflowRuns runs;
  private final MlflowWriter writer;
  private final MlflowStorageOptions options;
  private final Clock clock;
  private final Sleeper sleeper;

  ServerCalls(MlflowRuns runs, MlflowWriter writer, MlflowStorageOptions options) {
    this(runs, writer, options, Clock.SYSTEM, Sleeper.SYSTEM);
  }

  ServerCalls(
      MlflowRuns runs,
      MlflowWriter writer,
      MlflowStorageOptions options,
      Clock clock,
      Sleeper sleeper) {
    this.runs = runs;
    this.writer = writer;
    this.options = options;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  MlflowStorageOptions options() {
    return options;
  }

  MlflowRuns runs() {
    return runs;
  }

  MlflowWriter writer() {
    return writer;
  }

  /** Writes tags and waits until the server has them (and everything written before). */
  void writeNow(String runId, Map<String, String> tags) {
    writer.setTags(runId, tags);
    flush();
  }

  /** Waits until every buffered write is on the server. */
  void flush() {
    try {
      writer.flush(options.flushTimeout());
    } catch (MlflowTrackingException e) {
      throw new StorageException("MLflow storage: " + e.getMessage(), e);
    }
  }

  /** The run's current tags. */
  Map<String, String> tags(String runId) {
    return call("read run " + runId, () -> runs.getRun(runId)).tags();
  }

  /**
   * Logs the write-once param {@code key = value} together with {@code metrics}, {@code params} and
   * {@code tags} in one request: a compare-and-set. MLflow checks params before it writes anything
   * of a log-batch, so when {@code key} already holds another value nothing of the request is
   * written.
   *
   * @return true when {@code key} now holds {@code value} (written now, or by an earlier attempt of
   *     this very request whose answer was lost); false when it holds another value
   */
  boolean writeOnce(
      String runId,
      String key,
      String value,
      List<MetricPoint> metrics,
      Map<String, String> params,
      Map<String, String> tags) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(key, value);
    params.forEach(all::putIfAbsent);
    try {
      call(
          "write-once " + key + " on run " + runId,
          () -> {
            runs.logBatch(runId, metrics, all, tags);
            return null;
          });
      return true;
    } catch (StorageException e) {
      if (!(e.getCause() instanceof MlflowTrackingException m) || m.getMessage() == null) {
        throw e;
      }
      if (isUniqueViolation(m.getMessage())) {
        // Two workers inserted the param at the same instant and the database refused one: ask
        // again, which now either finds our own value (we won) or another one (we lost).
        return writeOnce(runId, key, value, metrics, params, tags);
      }
      if (!m.getMessage().contains("Changing param values is not allowed")) {
        throw e;
      }
      if (m.getMessage().contains("'key': '" + key + "'")) {
        return false;
      }
      if (params.isEmpty()) {
        throw e;
      }
      // Another param of the request was logged before with a different text (e.g. by tracking):
      // nothing was written; decide on the write-once param alone and send the rest as usual.
      boolean won = writeOnce(runId, key, value, metrics, Map.of(), tags);
      if (won) {
        writer.logParams(runId, params);
      }
      return won;
    }
  }

  /** A refused insert of a param another request inserted at the same instant (any database). */
  private static boolean isUniqueViolation(String message) {
    return message.contains("IntegrityError")
        || message.contains("UNIQUE constraint failed")
        || message.contains("duplicate key value")
        || message.contains("Duplicate entry");
  }

  /** Runs matching {@code filter} in the experiment, all pages. */
  List<RunRecord> search(String experimentId, String filter) {
    return call("search runs", () -> runs.searchRuns(List.of(experimentId), filter));
  }

  /**
   * Calls the server, retrying while it is unreachable or answers 5xx (the tracking layer's own
   * retries run out after about half a minute; a restarting server can take longer).
   */
  <T> T call(String what, Supplier<T> call) {
    RetryPolicy outage =
        RetryPolicy.within(
            options.outageTolerance(), Duration.ofMillis(500), Duration.ofSeconds(10));
    try {
      return outage
          .loop(clock, sleeper)
          .call(
              MlflowTrackingException.class,
              call::get,
              ServerCalls::isTransient,
              (attempt, delay, e) ->
                  LOG.warn(
                      "MLflow storage: {} failed ({}); retrying in {} ms",
                      what,
                      e.getMessage(),
                      delay.toMillis()));
    } catch (MlflowTrackingException e) {
      throw new StorageException("MLflow storage: " + what + ": " + e.getMessage(), e);
    }
  }

  /** No answer, or a 5xx one: the server is away or restarting. */
  static boolean isTransient(MlflowTrackingException e) {
    return e.statusCode() == 0 || e.statusCode() >= 500;
  }
}
