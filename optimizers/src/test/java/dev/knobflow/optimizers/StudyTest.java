package dev.knobflow.optimizers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StudyTest {

  private static Study study(String name, Objective... objectives) {
    Study.Builder b = Study.builder(name).sampler(RandomSampler.seeded(1));
    if (objectives.length > 0) {
      b.objectives(objectives);
    }
    return b.build();
  }

  @Test
  void sameNameAndDistributionReturnsTheSameValueWithinATrial() {
    Study study = study("same");
    Trial trial = study.ask();
    double first = trial.suggestFloat("x", 0, 1);
    assertEquals(first, trial.suggestFloat("x", 0, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> trial.suggestFloat("x", 0, 2));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void conditionalParametersAppearOnlyWhenSuggested() {
    Study study = study("conditional");
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              String kind = t.suggestCategorical("kind", "linear", "tree");
              if (kind.equals("tree")) {
                return t.suggestInt("depth", 1, 8);
              }
              return t.suggestFloat("c", 1e-3, 10, true);
            }),
        OptimizeOptions.trials(30));
    for (FrozenTrial t : study.trials()) {
      boolean tree = t.params().get("kind").equals("tree");
      assertEquals(tree, t.params().containsKey("depth"));
      assertEquals(!tree, t.params().containsKey("c"));
    }
  }

  @Test
  void anExceptionFailsTheTrialWithItsMessageAndTheStudyGoesOn() {
    Study study = study("exceptions");
    AtomicInteger calls = new AtomicInteger();
    OptimizeSummary summary =
        study.optimize(
            ObjectiveFunction.scalar(
                t -> {
                  if (calls.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("boom " + t.number());
                  }
                  return 1.0;
                }),
            OptimizeOptions.trials(10));
    assertEquals(5, summary.trialsByState().get(TrialState.FAIL));
    assertEquals(5, summary.trialsByState().get(TrialState.COMPLETE));
    FrozenTrial failed = study.trials().get(1);
    assertEquals(TrialState.FAIL, failed.state());
    assertEquals("IllegalStateException: boom 1", failed.failReason());
  }

  @Test
  void nanAndWrongValueCountsFailWithAReason() {
    Study study = study("nan", Objective.maximize("acc"), Objective.minimize("lat"));
    Trial a = study.ask();
    FrozenTrial nan = study.tell(a, TrialResult.of(Double.NaN, 1));
    assertEquals(TrialState.FAIL, nan.state());
    assertEquals(
        "objective 'acc' is NaN; objective and constraint values must be finite numbers",
        nan.failReason());
    FrozenTrial wrong = study.tell(study.ask(), TrialResult.of(1));
    assertEquals(TrialState.FAIL, wrong.state());
    assertTrue(wrong.failReason().contains("returned 1 value but the study has 2 objectives"));
    FrozenTrial missing = study.tell(study.ask(), TrialResult.ofNamed(Map.of("acc", 0.9)));
    assertTrue(missing.failReason().contains("no value for objective 'lat'"));
  }

  @Test
  void namedResultsMapToObjectivesAndExtraKeysBecomeMetrics() {
    Study study = study("named", Objective.maximize("acc"), Objective.minimize("lat"));
    FrozenTrial t =
        study.tell(study.ask(), TrialResult.ofNamed(Map.of("lat", 2.0, "acc", 0.9, "auc", 0.95)));
    assertEquals(List.of(0.9, 2.0), t.values());
    assertEquals(Map.of("auc", 0.95), t.metrics());
  }

  @Test
  void aFinishedTrialCannotBeFinishedAgain() {
    Study study = study("twice");
    Trial trial = study.ask();
    study.tell(trial, TrialResult.of(1));
    assertThrows(TrialAlreadyFinishedException.class, () -> study.tell(trial, TrialResult.of(2)));
    assertEquals(List.of(1.0), study.trials().get(0).values());
  }

  @Test
  void enqueuedParametersAreEvaluatedFirst() {
    Study study = study("enqueue");
    study.enqueue(Map.of("x", 0.25, "n", 3));
    study.optimize(
        ObjectiveFunction.scalar(t -> t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 5)),
        OptimizeOptions.trials(3));
    FrozenTrial first = study.trials().get(0);
    assertEquals(0.25, first.params().get("x"));
    assertEquals(3L, first.params().get("n"));
    assertEquals(3, study.trials().size());
  }

  @Test
  void bestTrialRespectsDirectionAndFeasibility() {
    Study study = study("best", Objective.maximize("acc"));
    study.tell(study.ask(), TrialResult.of(0.7));
    study.tell(study.ask(), TrialResult.of(0.99).withConstraints(1.0));
    study.tell(study.ask(), TrialResult.of(0.8));
    assertEquals(0.8, study.bestTrial().orElseThrow().value());
    Study multi = study("multi", Objective.maximize("a"), Objective.minimize("b"));
    assertThrows(IllegalStateException.class, multi::bestTrial);
  }

  @Test
  void paretoFrontKeepsOnlyNonDominatedFeasibleTrials() {
    Study study = study("pareto", Objective.maximize("acc"), Objective.minimize("lat"));
    study.tell(study.ask(), TrialResult.of(0.9, 10)); // 0: front
    study.tell(study.ask(), TrialResult.of(0.8, 5)); // 1: front
    study.tell(study.ask(), TrialResult.of(0.8, 11)); // 2: dominated by 0 and 1
    study.tell(study.ask(), TrialResult.of(0.95, 1).withConstraints(0.5)); // 3: infeasible
    study.tell(study.ask(), TrialResult.of(0.7, 1)); // 4: front
    List<Integer> front = study.paretoFront().stream().map(FrozenTrial::number).toList();
    assertEquals(List.of(0, 1, 4), front);
  }

  @Test
  void timeoutStopsStartingNewTrials() {
    FakeClock clock = FakeClock.autoAdvancing();
    Study study =
        Study.builder("timeout").sampler(RandomSampler.seeded(1)).time(clock, clock).build();
    OptimizeSummary summary =
        study.optimize(
            ObjectiveFunction.scalar(
                t -> {
                  clock.advance(Duration.ofSeconds(1));
                  return 0;
                }),
            OptimizeOptions.timeout(Duration.ofMillis(3_500)));
    assertEquals("timeout", summary.stopReason());
    // Trials start at 0, 1, 2 and 3 s; at 4 s the 3.5 s timeout has passed.
    assertEquals(4, summary.finished());
    assertEquals(Duration.ofSeconds(4), summary.elapsed());
  }

  @Test
  void aTrialThatEndsExactlyAtTheTimeoutIsTheLast() {
    FakeClock clock = FakeClock.autoAdvancing();
    Study study =
        Study.builder("deadline").sampler(RandomSampler.seeded(1)).time(clock, clock).build();
    OptimizeSummary summary =
        study.optimize(
            ObjectiveFunction.scalar(
                t -> {
                  clock.advance(Duration.ofSeconds(1));
                  return 0;
                }),
            OptimizeOptions.timeout(Duration.ofSeconds(2)));
    assertEquals(2, summary.finished());
  }

  @Test
  void heartbeatsAreRecordedEveryIntervalOnTheStudysClock() throws Exception {
    FakeClock clock = FakeClock.manual();
    InMemoryStorage storage = InMemoryStorage.create();
    Study study = Study.builder("beats").storage(storage).time(clock, clock).build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread runner =
        new Thread(
            () ->
                study.optimize(
                    ObjectiveFunction.scalar(
                        t -> {
                          entered.countDown();
                          release.await();
                          return 1.0;
                        }),
                    OptimizeOptions.trials(1).withHeartbeat(Duration.ofSeconds(10), null)));
    runner.start();
    try {
      assertTrue(entered.await(60, TimeUnit.SECONDS));
      await().atMost(Duration.ofSeconds(60)).until(() -> clock.sleepCount() == 1);
      assertEquals(null, storage.trial("beats", 0).heartbeat(), "no beat before the interval");
      java.time.Instant first = clock.now().plusSeconds(10);
      clock.advance(Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> first.equals(storage.trial("beats", 0).heartbeat()));
      await().atMost(Duration.ofSeconds(60)).until(() -> clock.sleepCount() == 2);
      clock.advance(Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> first.plusSeconds(10).equals(storage.trial("beats", 0).heartbeat()));
    } finally {
      release.countDown();
      runner.join(60_000);
    }
    assertFalse(runner.isAlive());
  }

  @Test
  void parallelWorkersRunExactlyTheRequestedTrialsWithUniqueNumbers() {
    Study study = study("parallel");
    Set<String> threads = Collections.synchronizedSet(new java.util.HashSet<>());
    CountDownLatch twoWorkersIn = new CountDownLatch(2);
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              threads.add(Thread.currentThread().getName());
              twoWorkersIn.countDown();
              twoWorkersIn.await(60, TimeUnit.SECONDS); // the first trials overlap
              return t.suggestFloat("x", 0, 1);
            }),
        OptimizeOptions.trials(40).withParallelism(4));
    List<FrozenTrial> trials = study.trials();
    assertEquals(40, trials.size());
    assertEquals(40, trials.stream().map(FrozenTrial::number).distinct().count());
    assertTrue(threads.size() > 1, "used several threads: " + threads);
  }

  @Test
  void listenersHearEveryStage() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Study study =
        Study.builder("listen")
            .listener(
                new StudyListener() {
                  @Override
                  public void trialStarted(StudyView s, FrozenTrial t) {
                    events.add("start " + t.number());
                  }

                  @Override
                  public void intermediateValueReported(
                      StudyView s, FrozenTrial t, long step, List<Double> values) {
                    events.add("report " + t.number() + "@" + step + "=" + values);
                  }

                  @Override
                  public void trialFinished(StudyView s, FrozenTrial t) {
                    events.add("finish " + t.number() + " " + t.state());
                  }

                  @Override
                  public void studyFinished(StudyView s) {
                    events.add("study");
                  }
                })
            .build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              t.report(0, 0.5);
              return 0.1;
            }),
        OptimizeOptions.trials(1));
    assertEquals(List.of("start 0", "report 0@0=[0.5]", "finish 0 COMPLETE", "study"), events);
  }

  @Test
  void aTrialListsTheStudysObjectivesInReportOrder() {
    Study study = study("order", Objective.maximize("accuracy"), Objective.minimize("latency_ms"));
    Trial trial = study.ask();
    assertEquals(
        List.of("accuracy", "latency_ms"),
        trial.objectives().stream().map(Objective::name).toList());
    assertEquals(Direction.MINIMIZE, trial.objectives().get(1).direction());
  }

  @Test
  void reportsMustMoveForwardAndMatchTheObjectiveCount() {
    Study study = study("reports", Objective.maximize("a"), Objective.minimize("b"));
    Trial trial = study.ask();
    trial.report(1, 0.1, 0.2);
    IllegalArgumentException back =
        assertThrows(IllegalArgumentException.class, () -> trial.report(1, 0.1, 0.2));
    assertTrue(back.getMessage().contains("does not come after"));
    IllegalArgumentException length =
        assertThrows(IllegalArgumentException.class, () -> trial.report(2, 0.1));
    assertTrue(length.getMessage().contains("expected 2 values"));
  }

  @Test
  void prunedTrialsKeepTheirLastReportedValues() {
    Study study = study("pruned");
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              t.report(0, 3.0);
              t.report(1, 2.0);
              throw new TrialPrunedException("too slow");
            }),
        OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.PRUNED, t.state());
    assertEquals(List.of(2.0), t.values());
    assertEquals("too slow", t.failReason());
  }

  @Test
  void interruptingFailsRunningTrialsAndIgnoresTheirLateResults() throws Exception {
    Study study = study("interrupt");
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Thread runner =
        new Thread(
            () ->
                study.optimize(
                    ObjectiveFunction.scalar(
                        t -> {
                          running.countDown();
                          release.await();
                          return 1.0;
                        }),
                    OptimizeOptions.trials(10).withParallelism(2)));
    runner.start();
    running.await();
    List<FrozenTrial> failed = study.failRunningTrials("interrupted (Ctrl-C)");
    release.countDown();
    runner.join(60_000);
    assertFalse(runner.isAlive());
    assertEquals(2, failed.size());
    List<FrozenTrial> trials = study.trials();
    assertEquals(2, trials.size(), "no new trial starts after the interrupt");
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.FAIL, t.state());
      assertEquals("interrupted (Ctrl-C)", t.failReason());
    }
  }

  @Test
  void staleRunningTrialsAreFailedWhenANewRunStarts() {
    InMemoryStorage storage = InMemoryStorage.create();
    Study crashed = Study.builder("stale").storage(storage).build();
    crashed.ask(); // never told: its worker "died"
    FakeClock clock = FakeClock.autoAdvancing();
    clock.advance(Duration.ofMinutes(1));
    Study resumed = Study.builder("stale").storage(storage).time(clock, clock).build();
    resumed.optimize(
        ObjectiveFunction.scalar(t -> 1.0),
        OptimizeOptions.trials(2).withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    FrozenTrial first = resumed.trials().get(0);
    assertEquals(TrialState.FAIL, first.state());
    assertTrue(first.failReason().startsWith("stale"));
    assertEquals(3, resumed.trials().size());
  }

  @Test
  void aRunningTrialYoungerThanTheStaleLimitIsLeftAlone() {
    InMemoryStorage storage = InMemoryStorage.create();
    Study other = Study.builder("fresh").storage(storage).build();
    other.ask(); // another worker's trial, started just now
    FakeClock clock = FakeClock.autoAdvancing();
    Study joining = Study.builder("fresh").storage(storage).time(clock, clock).build();
    joining.optimize(
        ObjectiveFunction.scalar(t -> 1.0),
        OptimizeOptions.trials(1).withHeartbeat(Duration.ofSeconds(5), Duration.ofMinutes(10)));
    assertEquals(TrialState.RUNNING, joining.trials().get(0).state());
  }
}
