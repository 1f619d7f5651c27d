package dev.knobflow.plugin.mlflow.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several workers (each its own storage, as separate machines would have) share one study while the
 * MLflow server is stopped and started again on the same port and database. Afterwards the server,
 * read without any worker's cache, holds every trial once with its params and metrics.
 */
@Tag("mlflow")
class MlflowStorageWorkersRestartTest {

  private static final String STUDY = "workers-restart";
  private static final int WORKERS = 3;
  private static final int PARALLELISM = 2;
  private static final int TRIALS_PER_WORKER = 4;
  private static final int TRIALS = WORKERS * TRIALS_PER_WORKER;
  private static final int STEPS = 3;

  /** Released once the server is down: the trials running then wait for it after step 0. */
  private final CountDownLatch serverStopped = new CountDownLatch(1);

  /** Trials waiting for the stop, and trials that went on after it. */
  private final AtomicInteger waiting = new AtomicInteger();

  private final AtomicInteger resumed = new AtomicInteger();

  /**
   * x in [-1, 1], k in 0..3: loss = x^2 + k, reported at every step as loss + step. The trials that
   * start before the outage hold after step 0 until the server is down, so every worker thread is
   * mid-trial when it stops and reports and finishes its trial during the outage.
   */
  private final ObjectiveFunction objective =
      trial -> {
        double x = trial.suggestFloat("x", -1, 1);
        int k = trial.suggestInt("k", 0, 3);
        trial.report(0, x * x + k);
        if (serverStopped.getCount() > 0) {
          waiting.incrementAndGet();
          serverStopped.await();
          resumed.incrementAndGet();
        }
        for (int step = 1; step < STEPS; step++) {
          trial.report(step, x * x + k + step);
        }
        return TrialResult.of(x * x + k);
      };

  @Test
  void everyTrialParamAndMetricOfThreeWorkersIsOnTheServerAfterARestartMidStudy() throws Exception {
    // The JVM's shared server, stopped and started again on the same port and database (as
    // MlflowStorageRestartTest does): the test classes of a JVM run one at a time, and shared()
    // starts it again should this test fail while it is down. A server of its own would cost a
    // second MLflow start-up for nothing this test proves.
    MlflowTestServer server = MlflowTestServer.shared();
    try {
      runAndCount(server);
    } finally {
      server.start();
    }
  }

  /**
   * The trials the server itself holds RUNNING, read straight from it: a worker's cache sees the
   * other workers' trials only at its next full refresh (MlflowStorageOptions.fullRefreshInterval,
   * 60 s), which made this wait last a minute.
   */
  private static long runningOnServer(MlflowTracking tracking, String experiment) {
    return tracking
        .runs()
        .findExperimentId(experiment)
        .map(
            id ->
                tracking.runs().searchRuns(List.of(id), StorageTags.trialFilter(STUDY)).stream()
                    .filter(r -> "RUNNING".equals(r.tags().get(StorageTags.STATE)))
                    .count())
        .orElse(0L);
  }

  private void runAndCount(MlflowTestServer server) throws Exception {
    String experiment = "workers-restart-" + UUID.randomUUID().toString().substring(0, 8);
    MlflowConnection connection = MlflowConnection.of(server.trackingUri());
    MlflowStorageOptions options = MlflowStorageOptions.defaults();
    List<MlflowStudyStorage> storages = new ArrayList<>();
    List<CompletableFuture<OptimizeSummary>> runs = new ArrayList<>();
    try {
      for (int w = 0; w < WORKERS; w++) {
        storages.add(MlflowStudyStorage.open(connection, experiment, options));
      }
      for (int w = 0; w < WORKERS; w++) {
        Study study =
            Study.builder(STUDY)
                .objectives(List.of(Objective.minimize("loss")))
                .storage(storages.get(w))
                .seed(100 + w)
                .build();
        runs.add(
            CompletableFuture.supplyAsync(
                () ->
                    study.optimize(
                        objective,
                        OptimizeOptions.trials(TRIALS_PER_WORKER).withParallelism(PARALLELISM))));
      }
      int threads = WORKERS * PARALLELISM;
      await("every worker thread mid-trial")
          .atMost(Duration.ofMinutes(3))
          .until(() -> waiting.get() == threads);
      try (MlflowTracking observer = MlflowTracking.open(connection)) {
        await("the server holds every thread's trial RUNNING")
            .atMost(Duration.ofMinutes(3))
            .until(() -> runningOnServer(observer, experiment) == threads);
      }
      server.stop();
      serverStopped.countDown();
      // Every thread now reports and finishes its trial against the stopped server.
      await("every waiting trial resumed")
          .atMost(Duration.ofMinutes(3))
          .until(() -> resumed.get() == threads);
      server.start();
      for (CompletableFuture<OptimizeSummary> run : runs) {
        OptimizeSummary summary = run.get(3, TimeUnit.MINUTES);
        assertEquals(TRIALS_PER_WORKER, summary.finished());
        assertEquals(
            TRIALS_PER_WORKER,
            summary.trialsByState().getOrDefault(TrialState.COMPLETE, 0),
            summary.trialsByState().toString());
      }
    } finally {
      storages.forEach(MlflowStudyStorage::close);
    }

    // Count what the server holds, without any worker's cache.
    try (MlflowTracking tracking = MlflowTracking.open(connection)) {
      String experimentId = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> all =
          tracking.runs().searchRuns(List.of(experimentId), StorageTags.trialFilter(STUDY));
      // A creation that failed in the outage is looked up by its claim id before it is retried,
      // so no number has two runs.
      List<RunRecord> trials = all;
      assertEquals(TRIALS, trials.size(), "trial runs: " + trials);
      Set<Integer> expectedNumbers =
          IntStream.range(0, TRIALS).boxed().collect(Collectors.toCollection(TreeSet::new));
      Set<Integer> numbers =
          trials.stream()
              .map(r -> Integer.valueOf(r.tags().get(StorageTags.NUMBER)))
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expectedNumbers, numbers, "numbers 0..n-1, each once");
      for (RunRecord r : trials) {
        assertEquals("FINISHED", r.status(), r.toString());
        assertEquals("COMPLETE", r.tags().get(StorageTags.STATE), r.toString());
        assertEquals(
            Set.of("x", "k"),
            r.params().keySet().stream()
                .filter(key -> !key.startsWith("knobflow."))
                .collect(Collectors.toSet()),
            r.toString());
        assertTrue(r.params().containsKey(StorageTags.FINISH), "finished once: " + r);
        double x = Double.parseDouble(r.params().get("x"));
        int k = Integer.parseInt(r.params().get("k"));
        Double loss = r.metrics().get("loss");
        assertNotNull(loss, r.toString());
        assertEquals(x * x + k, loss, 1e-9, r.toString());
        List<MetricPoint> curve = tracking.runs().metricHistory(r.runId(), "intermediate/loss");
        assertEquals(STEPS, curve.size(), "one point per step, none twice: " + curve);
        for (int step = 0; step < STEPS; step++) {
          assertEquals(step, curve.get(step).step());
          assertEquals(x * x + k + step, curve.get(step).value(), 1e-9);
        }
      }
    }
    // A fresh worker reads the same study back.
    try (MlflowStudyStorage reader = MlflowStudyStorage.open(connection, experiment)) {
      List<FrozenTrial> read = reader.trials(STUDY);
      assertEquals(TRIALS, read.size());
      assertTrue(read.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
      assertTrue(read.stream().allMatch(t -> t.intermediateValues().size() == STEPS));
    }
  }
}
