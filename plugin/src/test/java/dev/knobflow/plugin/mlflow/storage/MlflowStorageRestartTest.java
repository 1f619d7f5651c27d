package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The server restarts in the middle of a study; afterwards every trial is on it, complete. */
@Tag("mlflow")
class MlflowStorageRestartTest {

  private static final int TRIALS = 8;
  private static final int STEPS = 3;

  @Test
  void everyTrialParamAndMetricIsOnTheServerAfterARestartMidStudy() throws Exception {
    MlflowTestServer server = MlflowTestServer.shared();
    String experiment = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    MlflowConnection connection = MlflowConnection.of(server.trackingUri());
    try (MlflowStudyStorage storage =
        MlflowStudyStorage.open(connection, experiment, MlflowStorageOptions.defaults())) {
      Study study =
          Study.builder("restart")
              .objectives(List.of(Objective.minimize("loss")))
              .storage(storage)
              .seed(11)
              .build();
      CompletableFuture<OptimizeSummary> run =
          CompletableFuture.supplyAsync(
              () ->
                  study.optimize(
                      trial -> {
                        double x = trial.suggestFloat("x", -1, 1);
                        for (int step = 0; step < STEPS; step++) {
                          trial.report(step, x * x + step);
                          Thread.sleep(150);
                        }
                        return TrialResult.of(x * x);
                      },
                      OptimizeOptions.trials(TRIALS).withParallelism(2)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (study.trials(java.util.Set.of(TrialState.COMPLETE)).size() < 2
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      server.restart();
      OptimizeSummary summary = run.get(5, TimeUnit.MINUTES);
      assertEquals(TRIALS, summary.finished());
      storage.flush();
    }
    // Count what the server holds, without the storage's cache.
    try (MlflowTracking tracking = MlflowTracking.open(connection)) {
      String experimentId = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> trials =
          tracking
              .runs()
              .searchRuns(List.of(experimentId), StorageTags.trialFilter("restart"))
              .stream()
              .filter(r -> r.tags().containsKey(StorageTags.NUMBER))
              .toList();
      assertEquals(TRIALS, trials.size());
      assertEquals(
          TRIALS, trials.stream().map(r -> r.tags().get(StorageTags.NUMBER)).distinct().count());
      for (RunRecord r : trials) {
        assertEquals("FINISHED", r.status(), r.toString());
        assertEquals("COMPLETE", r.tags().get("knobflow.state"));
        double x = Double.parseDouble(r.params().get("x"));
        assertEquals(x * x, r.metrics().get("loss"), 1e-9);
        List<MetricPoint> curve = tracking.runs().metricHistory(r.runId(), "intermediate/loss");
        assertEquals(STEPS, curve.size(), r.runId());
      }
    }
    try (MlflowStudyStorage reader = MlflowStudyStorage.open(connection, experiment)) {
      List<FrozenTrial> read = reader.trials("restart");
      assertEquals(TRIALS, read.size());
      assertTrue(read.stream().allMatch(t -> t.intermediateValues().size() == STEPS));
    }
  }
}
