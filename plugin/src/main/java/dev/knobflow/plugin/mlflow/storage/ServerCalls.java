package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.optimizers.time.Clock;
import dev.knobflow.optimizers.time.RetryPolicy;
import dev.knobflow.optimizers.time.Sleeper;
import dev.knobflow.plugin.tracking.MlflowRuns;
import dev.knobflow.plugin.tracking.MlflowTrackingException;
import dev.knobflow.plugin.tracking.MlflowWriter;
import dev.knobflow.plugin.tracking.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
              e -> e.statusCode() == 0 || e.statusCode() >= 500,
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

  /**
   * Probes the server every 20 ms, doubling to 500 ms, until {@code done} accepts the answer or the
   * choose timeout passes; returns the last answer (the caller tells a timeout by testing it).
   */
  <T> T awaitChoosers(Supplier<T> probe, Predicate<? super T> done) {
    RetryPolicy wait =
        RetryPolicy.within(options.chooseTimeout(), Duration.ofMillis(20), Duration.ofMillis(500));
    try {
      return wait.loop(clock, sleeper).poll(probe, done);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for the MLflow server", e);
    }
  }
}
