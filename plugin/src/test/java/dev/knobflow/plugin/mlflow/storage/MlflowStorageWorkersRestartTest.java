package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.tracking.MetricPoint;
import dev.knobflow.plugin.tracking.MlflowConnection;
import dev.knobflow.plugin.tracking.MlflowTracking;
import dev.knobflow.plugin.tracking.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  /** x in [-1, 1], k in 0..3: loss = x^2 + k, reported at every step as loss + step. */
  private static final ObjectiveFunction OBJECTIVE =
      trial -> {
        double x = trial.suggestFloat("x", -1, 1);
        int k = trial.suggestInt("k", 0, 3);
        for (int step = 0; step < STEPS; step++) {
          trial.report(step, x * x + k + step);
          Thread.sleep(150);
        }
        return TrialResult.of(x * x + k);
      };

  @Test
  void everyTrialParamAndMetricOfThreeWorkersIsOnTheServerAfterARestartMidStudy() throws Exception {
    // A server of its own: this test stops it, which must not disturb other tests.
    MlflowTestServer server = MlflowTestServer.create();
    server.start();
    try {
      runAndCount(server);
    } finally {
      server.stop();
    }
  }

  private void runAndCount(MlflowTestServer server) throws Exception {
    String experiment = "workers-restart-" + UUID.randomUUID().toString().substring(0, 8);
    MlflowConnection connection = MlflowConnection.of(server.trackingUri());
    MlflowStorageOptions options = MlflowStorageOptions.defaults();
    List<MlflowStudyStorage> storages = new ArrayList<>();
    List<CompletableFuture<OptimizeSummary>> runs = new ArrayList<>();
    int completedAtStop;
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
                        OBJECTIVE,
                        OptimizeOptions.trials(TRIALS_PER_WORKER).withParallelism(PARALLELISM))));
      }
      MlflowStudyStorage observer = storages.get(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (observer.trials(STUDY, Set.of(TrialState.COMPLETE)).size() < WORKERS
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      completedAtStop = observer.trials(STUDY, Set.of(TrialState.COMPLETE)).size();
      server.stop();
      Thread.sleep(2_000); // every worker runs into the outage, mid-trial or mid-call
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
    assertTrue(
        completedAtStop >= WORKERS && completedAtStop < TRIALS,
        "the server must stop mid-study; COMPLETE trials then: " + completedAtStop);

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
