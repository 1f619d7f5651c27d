package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.plugin.tracking.MlflowRuns;
import dev.knobflow.plugin.tracking.MlflowTrackingException;
import dev.knobflow.plugin.tracking.MlflowWriter;
import dev.knobflow.plugin.tracking.RunRecord;
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

  ServerCalls(MlflowRuns runs, MlflowWriter writer, MlflowStorageOptions options) {
    this.runs = runs;
    this.writer = writer;
    this.options = options;
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
    long deadline = System.nanoTime() + options.outageTolerance().toNanos();
    long sleep = 500;
    while (true) {
      try {
        return call.get();
      } catch (MlflowTrackingException e) {
        boolean transientFailure = e.statusCode() == 0 || e.statusCode() >= 500;
        if (!transientFailure || System.nanoTime() > deadline) {
          throw new StorageException("MLflow storage: " + what + ": " + e.getMessage(), e);
        }
        LOG.warn("MLflow storage: {} failed ({}); retrying in {} ms", what, e.getMessage(), sleep);
        sleep(sleep);
        sleep = Math.min(10_000, sleep * 2);
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for the MLflow server", e);
    }
  }
}
