package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The {@code StudyStorage} contract against a real MLflow server, including several workers. */
@Tag("mlflow")
class MlflowStudyStorageTest {

  private static final List<Objective> TWO =
      List.of(Objective.maximize("accuracy"), Objective.minimize("latency_ms"));

  private final String experiment = "storage-" + UUID.randomUUID().toString().substring(0, 8);

  private MlflowStudyStorage worker() {
    return MlflowStudyStorage.open(
        MlflowConnection.of(MlflowTestServer.shared().trackingUri()),
        experiment,
        MlflowStorageOptions.defaults());
  }

  @Test
  void studiesAreCreatedOnceFoundByOtherWorkersAndKeepLargeAttributes() {
    String big = "x".repeat(20_000);
    try (MlflowStudyStorage a = worker();
        MlflowStudyStorage b = worker()) {
      assertTrue(b.findStudy("s1").isEmpty());
      a.createStudy("s1", TWO);
      a.setStudyAttr("s1", "seed", 42);
      a.setStudyAttr("s1", "study_file", big);
      assertEquals(TWO, a.createStudy("s1", TWO).objectives());
      assertThrows(
          IllegalArgumentException.class,
          () -> b.createStudy("s1", List.of(Objective.minimize("loss"))));
      var found = b.findStudy("s1").orElseThrow();
      assertEquals(TWO, found.objectives());
      assertEquals(42L, ((Number) found.attrs().get("seed")).longValue());
      assertEquals(big, found.attrs().get("study_file"));
      assertEquals(List.of("s1"), b.studies().stream().map(s -> s.name()).toList());
    }
  }

  @Test
  void aTrialRoundTripsEverythingToAnotherWorker() {
    FloatDistribution eta = new FloatDistribution(1e-4, 1, true, 0);
    IntDistribution depth = new IntDistribution(2, 10, false, 2);
    CategoricalDistribution booster = CategoricalDistribution.of(List.of("gbtree", "dart", 3));
    FrozenTrial done;
    try (MlflowStudyStorage a = worker()) {
      a.createStudy("rt", TWO);
      FrozenTrial t = a.createTrial("rt", TrialState.RUNNING, Map.of("generation", 3));
      assertEquals(0, t.number());
      a.setParam("rt", 0, "eta", eta, 0.0123);
      a.setParam("rt", 0, "depth", depth, 6L);
      a.setParam("rt", 0, "booster", booster, "dart");
      a.reportIntermediate("rt", 0, 0, List.of(0.5, 9.0));
      a.reportIntermediate("rt", 0, 1, List.of(0.7, 8.0));
      a.setUserAttr("rt", 0, "notes", "y".repeat(12_000));
      a.setSystemAttr("rt", 0, "grid_index", 7);
      a.setBudget("rt", 0, 27.0);
      done =
          a.finishTrial(
              "rt",
              0,
              TrialOutcome.complete(
                  List.of(0.91, 2.5), List.of(-1.0), Map.of("model_mb", 3.5), Instant.now()));
      assertEquals(TrialState.COMPLETE, done.state());
    }
    try (MlflowStudyStorage b = worker()) {
      FrozenTrial read = b.trial("rt", 0);
      assertEquals(done.params(), read.params());
      assertEquals(Map.of("eta", eta, "depth", depth, "booster", booster), read.distributions());
      assertEquals(done.intermediateValues(), read.intermediateValues());
      assertEquals(List.of(0.91, 2.5), read.values());
      assertEquals(List.of(-1.0), read.constraints());
      assertEquals(Map.of("model_mb", 3.5), read.metrics());
      assertEquals("y".repeat(12_000), read.userAttrs().get("notes"));
      assertEquals(7L, ((Number) read.systemAttrs().get("grid_index")).longValue());
      assertEquals(3L, ((Number) read.systemAttrs().get("generation")).longValue());
      assertEquals(27.0, read.budget());
      assertEquals(done.completed().toEpochMilli(), read.completed().toEpochMilli());
      assertEquals(1, b.trials("rt").size());
    }
  }

  @Test
  void aTrialIsFinishedOnceEvenWhenTwoWorkersTry() throws Exception {
    try (MlflowStudyStorage a = worker();
        MlflowStudyStorage b = worker();
        MlflowTracking raw = MlflowTracking.open(MlflowConnection.of(a.trackingUri()))) {
      a.createStudy("once", TWO);
      a.createTrial("once", TrialState.RUNNING, Map.of());
      assertEquals(TrialState.RUNNING, b.trial("once", 0).state());
      // Both finish at the same moment: exactly one wins.
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<FrozenTrial>> tries = new ArrayList<>();
      for (MlflowStudyStorage s : List.of(a, b)) {
        tries.add(
            pool.submit(
                () -> {
                  go.await();
                  return s.finishTrial("once", 0, TrialOutcome.failed("by " + s, Instant.now()));
                }));
      }
      go.countDown();
      int won = 0;
      int lost = 0;
      String reason = null;
      for (Future<FrozenTrial> f : tries) {
        try {
          reason = f.get().failReason();
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause() instanceof TrialAlreadyFinishedException, e.toString());
          lost++;
        }
      }
      pool.shutdown();
      assertEquals(1, won);
      assertEquals(1, lost);
      assertThrows(
          TrialAlreadyFinishedException.class,
          () -> a.finishTrial("once", 0, TrialOutcome.failed("again", Instant.now())));
      try (MlflowStudyStorage c = worker()) {
        assertEquals(reason, c.trial("once", 0).failReason());
      }
      RunRecord run = raw.runs().getRun(a.trialRunId("once", 0));
      assertEquals("FAILED", run.status());
      assertEquals("FAIL", run.tags().get("knobflow.state"));
    }
  }

  @Test
  void aWaitingTrialIsClaimedByExactlyOneWorker() throws Exception {
    try (MlflowStudyStorage a = worker();
        MlflowStudyStorage b = worker();
        MlflowStudyStorage c = worker()) {
      a.createStudy("claim", TWO);
      a.createTrial("claim", TrialState.WAITING, Map.of("fixed_params", Map.of("eta", 0.1)));
      assertEquals(TrialState.WAITING, c.trial("claim", 0).state());
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Optional<FrozenTrial>>> claims = new ArrayList<>();
      for (MlflowStudyStorage s : List.of(b, c)) {
        claims.add(
            pool.submit(
                () -> {
                  go.await();
                  return s.claimWaitingTrial("claim");
                }));
      }
      go.countDown();
      int got = 0;
      for (Future<Optional<FrozenTrial>> f : claims) {
        Optional<FrozenTrial> claimed = f.get();
        if (claimed.isPresent()) {
          got++;
          assertEquals(TrialState.RUNNING, claimed.get().state());
          assertEquals(Map.of("eta", 0.1), claimed.get().systemAttrs().get("fixed_params"));
        }
      }
      pool.shutdown();
      assertEquals(1, got);
      assertTrue(a.claimWaitingTrial("claim").isEmpty());
      try (MlflowStudyStorage d = worker()) {
        assertEquals(TrialState.RUNNING, d.trial("claim", 0).state());
      }
    }
  }

  @Test
  void staleRunningTrialsAreFailedByAnotherWorker() {
    try (MlflowStudyStorage a = worker();
        MlflowStudyStorage b = worker()) {
      a.createStudy("stale", TWO);
      a.createTrial("stale", TrialState.RUNNING, Map.of());
      a.createTrial("stale", TrialState.RUNNING, Map.of());
      Instant now = Instant.now();
      a.heartbeat("stale", 0, now.minus(Duration.ofMinutes(10)));
      a.heartbeat("stale", 1, now);
      a.flush();
      List<FrozenTrial> failed = b.failStaleTrials("stale", Duration.ofMinutes(1), now);
      assertEquals(List.of(0), failed.stream().map(FrozenTrial::number).toList());
      assertTrue(failed.get(0).failReason().startsWith("stale: no heartbeat since"));
      // The original worker learns it when it tries to finish.
      assertThrows(
          TrialAlreadyFinishedException.class,
          () ->
              a.finishTrial(
                  "stale",
                  0,
                  TrialOutcome.complete(List.of(1.0, 1.0), List.of(), Map.of(), Instant.now())));
      assertEquals(TrialState.RUNNING, b.trial("stale", 1).state());
    }
  }

  @Test
  void workersCreatingTrialsAtOnceNeverShareANumber() throws Exception {
    int perThread = 5;
    List<MlflowStudyStorage> workers = List.of(worker(), worker());
    try {
      workers.get(0).createStudy("race", TWO);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        MlflowStudyStorage s = workers.get(t % 2);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Integer> numbers = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    numbers.add(s.createTrial("race", TrialState.RUNNING, Map.of()).number());
                  }
                  return numbers;
                }));
      }
      go.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> f : results) {
        all.addAll(f.get());
      }
      pool.shutdown();
      Collections.sort(all);
      assertEquals(IntStream.range(0, 4 * perThread).boxed().toList(), all);
      try (MlflowStudyStorage reader = worker()) {
        List<FrozenTrial> trials = reader.trials("race");
        assertEquals(all, trials.stream().map(FrozenTrial::number).toList());
        Set<String> runIds = new HashSet<>();
        for (FrozenTrial t : trials) {
          runIds.add(reader.trialRunId("race", t.number()));
          assertEquals(
              reader.trialRunId("race", t.number()), workers.get(0).trialRunId("race", t.number()));
        }
        assertEquals(4 * perThread, runIds.size());
      }
    } finally {
      workers.forEach(MlflowStudyStorage::close);
    }
  }

  @Test
  void optimizeWithParallelismFourCompletesItsTrials() {
    try (MlflowStudyStorage storage = worker()) {
      Study study =
          Study.builder("opt")
              .objectives(List.of(Objective.minimize("loss")))
              .storage(storage)
              .seed(7)
              .build();
      OptimizeSummary summary =
          study.optimize(
              trial -> {
                double x = trial.suggestFloat("x", -5, 5);
                trial.report(0, x * x + 1);
                return TrialResult.of(x * x);
              },
              OptimizeOptions.trials(12).withParallelism(4));
      assertEquals(12, summary.finished());
      try (MlflowStudyStorage reader = worker()) {
        List<FrozenTrial> trials = reader.trials("opt");
        assertEquals(
            IntStream.range(0, 12).boxed().toList(),
            trials.stream().map(FrozenTrial::number).toList());
        for (FrozenTrial t : trials) {
          assertEquals(TrialState.COMPLETE, t.state());
          double x = (Double) t.params().get("x");
          assertEquals(x * x, t.value(), 1e-12);
          assertEquals(x * x + 1, t.intermediateValues().get(0L).get(0), 1e-12);
        }
      }
    }
  }
}
