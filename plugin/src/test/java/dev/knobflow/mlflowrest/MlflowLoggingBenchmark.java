package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.plugin.testing.MlflowTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;

/**
 * N trials x M steps x 2 metrics (plus 5 params and a termination per trial) logged against a real
 * MLflow server, once through {@link MlflowWriter} and once with one client call per value. Run by
 * {@code bench/mlflow-logging/run.sh}; excluded from the normal test run.
 */
@Tag("benchmark")
class MlflowLoggingBenchmark {

  private static final int PARAMS = 5;

  @Test
  void batchedVersusOneCallPerValue() throws IOException {
    int trials = Integer.getInteger("bench.trials", 10);
    int steps = Integer.getInteger("bench.steps", 50);
    MlflowTestServer server = MlflowTestServer.shared();
    MlflowConnection connection = MlflowConnection.of(server.trackingUri());

    // Warm-up so both modes meet a warm server and JIT.
    Result warmup = perCall(connection, 2, 5);
    Result warmup2 = batched(connection, 2, 5);
    Result perCall = perCall(connection, trials, steps);
    Result batched = batched(connection, trials, steps);

    double requestRatio = (double) perCall.requests / batched.requests;
    double timeRatio = (double) perCall.nanos / batched.nanos;
    String report =
        String.format(
            Locale.ROOT,
            "# MLflow logging benchmark%n%n"
                + "MLflow %s server (SQLite backend, 1 worker) on 127.0.0.1; %d trials x %d steps x 2"
                + " metrics + %d params + 1 termination per trial (%d values per mode).%n%n"
                + "| mode | HTTP requests | wall time (ms) | overhead per trial (ms) |%n"
                + "|---|---:|---:|---:|%n"
                + "| one call per value | %d | %.0f | %.1f |%n"
                + "| batched MlflowWriter | %d | %.0f | %.1f |%n%n"
                + "Requests ratio: %.1fx fewer (target >= 10x): %s%n"
                + "Wall-time ratio: %.1fx less (target >= 5x): %s%n"
                + "(warm-up: %d and %d requests, discarded)%n",
            MlflowTestServer.MLFLOW_VERSION,
            trials,
            steps,
            PARAMS,
            trials * (steps * 2 + PARAMS + 1),
            perCall.requests,
            perCall.nanos / 1e6,
            perCall.nanos / 1e6 / trials,
            batched.requests,
            batched.nanos / 1e6,
            batched.nanos / 1e6 / trials,
            requestRatio,
            requestRatio >= 10 ? "MET" : "MISSED",
            timeRatio,
            timeRatio >= 5 ? "MET" : "MISSED",
            warmup.requests,
            warmup2.requests);
    Path out = repoRoot().resolve("bench/results/mlflow-logging.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    System.out.println(report);
  }

  private record Result(long requests, long nanos) {}

  private static Result perCall(MlflowConnection connection, int trials, int steps) {
    try (MlflowTracking tracking = MlflowTracking.open(connection);
        MlflowClient client =
            new MlflowClient(
                new org.mlflow.tracking.creds.BasicMlflowHostCreds(
                    connection.trackingUri().toString(),
                    connection.credentials().username(),
                    connection.credentials().password(),
                    connection.credentials().token(),
                    connection.insecureTls()))) {
      List<String> runs = createRuns(tracking, "per-call", trials);
      long requests = 0;
      long start = System.nanoTime();
      for (String run : runs) {
        for (int p = 0; p < PARAMS; p++) {
          client.logParam(run, "p" + p, Integer.toString(p));
          requests++;
        }
        for (int step = 0; step < steps; step++) {
          long now = System.currentTimeMillis();
          client.logMetric(run, "loss", 1.0 / (step + 1), now, step);
          client.logMetric(run, "accuracy", step / (double) steps, now, step);
          requests += 2;
        }
        client.setTerminated(run, RunStatus.FINISHED, System.currentTimeMillis());
        requests++;
      }
      long nanos = System.nanoTime() - start;
      verify(tracking, runs, steps);
      return new Result(requests, nanos);
    }
  }

  private static Result batched(MlflowConnection connection, int trials, int steps) {
    try (MlflowTracking tracking = MlflowTracking.open(connection)) {
      List<String> runs = createRuns(tracking, "batched", trials);
      MlflowWriter writer = tracking.writer();
      long before = writer.stats().requests();
      long start = System.nanoTime();
      for (String run : runs) {
        for (int p = 0; p < PARAMS; p++) {
          writer.logParam(run, "p" + p, Integer.toString(p));
        }
        for (int step = 0; step < steps; step++) {
          writer.logMetrics(
              run, Map.of("loss", 1.0 / (step + 1), "accuracy", step / (double) steps), step);
        }
        writer.terminate(run, RunOutcome.FINISHED);
      }
      writer.flush(Duration.ofMinutes(5));
      long nanos = System.nanoTime() - start;
      long requests = writer.stats().requests() - before;
      verify(tracking, runs, steps);
      return new Result(requests, nanos);
    }
  }

  private static List<String> createRuns(MlflowTracking tracking, String mode, int trials) {
    String experiment =
        tracking.runs().getOrCreateExperiment("bench-" + mode + "-" + UUID.randomUUID());
    String parent = tracking.runs().createRun(experiment, "study", Map.of()).runId();
    List<String> runs = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      runs.add(tracking.runs().createChildRun(experiment, parent, "trial-" + t, Map.of()).runId());
    }
    return runs;
  }

  private static void verify(MlflowTracking tracking, List<String> runs, int steps) {
    for (String run : List.of(runs.get(0), runs.get(runs.size() - 1))) {
      assertEquals(steps, tracking.runs().metricHistory(run, "loss").size());
      RunRecord record = tracking.runs().getRun(run);
      assertEquals("FINISHED", record.status());
      assertEquals(PARAMS, record.params().size());
    }
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw"))) {
        return d;
      }
    }
    return dir;
  }
}
