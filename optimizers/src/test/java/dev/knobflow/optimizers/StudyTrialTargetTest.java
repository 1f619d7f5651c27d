package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.time.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study-wide trial target ({@link TrialTarget}): every {@link Study#optimize} call on a study
 * follows the target stored with it, so workers started together stop at it instead of each running
 * its own count.
 */
class StudyTrialTargetTest {

  private static final int TARGET = 12;

  @TempDir Path dir;

  private static final ObjectiveFunction QUADRATIC =
      trial -> {
        double x = trial.suggestFloat("x", -5, 5);
        return TrialResult.of(x * x);
      };

  private static Study study(JournalStorage storage, long seed) {
    return Study.builder("shared")
        .objectives(Objective.minimize("loss"))
        .storage(storage)
        .seed(seed)
        .build();
  }

  @Test
  void studiesOnOneJournalStartedTogetherStopAtTheSharedTarget() throws Exception {
    int workers = 4;
    Path journal = dir.resolve("journal.jsonl");
    CyclicBarrier start = new CyclicBarrier(workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<OptimizeSummary>> runs = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        long seed = w;
        runs.add(
            pool.submit(
                () -> {
                  // Each worker its own storage handle and Study, as separate processes have.
                  try (JournalStorage storage = JournalStorage.open(journal)) {
                    Study study = study(storage, seed);
                    start.await();
                    // Each would run 100 on its own: the shared target stops them.
                    return study.optimize(
                        QUADRATIC, OptimizeOptions.trials(100).withStudyTarget(TARGET));
                  }
                }));
      }
      int finishedByWorkers = 0;
      for (Future<OptimizeSummary> run : runs) {
        OptimizeSummary summary = run.get();
        assertEquals("target", summary.stopReason());
        finishedByWorkers += summary.finished();
      }
      try (JournalStorage storage = JournalStorage.open(journal)) {
        List<FrozenTrial> trials = storage.trials("shared");
        // Nothing lost: every trial a worker ran is stored, finished, with a unique number.
        assertEquals(finishedByWorkers, trials.size());
        assertEquals(
            IntStream.range(0, trials.size()).boxed().toList(),
            trials.stream().map(FrozenTrial::number).toList());
        assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE), "all done");
        // The journal checks the target and creates the trial under its file lock, so workers
        // racing on the last places end exactly at the target; never each its own 100.
        assertEquals(TARGET, trials.size(), trials.size() + " trials for a target of " + TARGET);
        assertEquals(TARGET, TrialTarget.stored(storage, "shared").getAsLong());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void threadsOfOneStudyStopExactlyAtTheTarget() throws Exception {
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      Study study = study(storage, 1);
      OptimizeSummary summary =
          study.optimize(QUADRATIC, OptimizeOptions.studyTarget(TARGET).withParallelism(4));
      assertEquals(TARGET, summary.finished());
      assertEquals(TARGET, storage.trials("shared").size());
      assertEquals("target", summary.stopReason());
    }
  }

  @Test
  void aLaterCallFollowsTheStoredTargetAndCountsEveryWorkersTrials() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study creator = study(storage, 1);
      assertEquals(
          5, creator.optimize(QUADRATIC, OptimizeOptions.trials(5).withStudyTarget(8)).finished());
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      // A joiner that asks for no target and 100 trials: the stored target of 8 holds.
      OptimizeSummary joiner = study(storage, 2).optimize(QUADRATIC, OptimizeOptions.trials(100));
      assertEquals(3, joiner.finished());
      assertEquals("target", joiner.stopReason());
      assertEquals(8, storage.trials("shared").size());
    }
  }

  @Test
  void trialsFailedByACrashDoNotCountSoTheStudyStillReachesItsTargetOfCompleteTrials()
      throws Exception {
    FakeClock clock = FakeClock.manual();
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      storage.createStudy("shared", List.of(Objective.minimize("loss")));
      Instant longAgo = Instant.now().minus(Duration.ofHours(1));
      // What earlier crashes left: trials failed as stale and as interrupted (they never count),
      // and a RUNNING trial whose worker was killed while this one runs (its heartbeat stops).
      fail(storage, TrialOutcome.failed("stale: no heartbeat since " + longAgo, longAgo));
      fail(storage, TrialOutcome.failed("interrupted", longAgo));
      int orphan = storage.createTrial("shared", TrialState.RUNNING, Map.of()).number();

      Study study =
          Study.builder("shared")
              .objectives(Objective.minimize("loss"))
              .storage(storage)
              .seed(4)
              .time(clock, clock)
              .build();
      // Each trial takes ten minutes on the study's clock, so the orphan, fresh when the call
      // starts, has no heartbeat for longer than the grace by the time the target looks reached.
      ObjectiveFunction slow =
          trial -> {
            clock.advance(Duration.ofMinutes(10));
            return QUADRATIC.evaluate(trial);
          };
      OptimizeSummary summary =
          study.optimize(
              slow,
              OptimizeOptions.studyTarget(4)
                  .withHeartbeat(Duration.ofHours(1), Duration.ofMinutes(5)));

      assertEquals(4, summary.trialsByState().get(TrialState.COMPLETE));
      assertEquals("target", summary.stopReason());
      List<FrozenTrial> trials = storage.trials("shared");
      assertEquals(4, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
      assertEquals(4, TrialTarget.counted(trials));
      FrozenTrial orphaned = storage.trial("shared", orphan);
      assertEquals(TrialState.FAIL, orphaned.state());
      assertTrue(
          orphaned.failReason().startsWith(TrialTarget.STALE_REASON_PREFIX), orphaned.failReason());
    }
  }

  private static void fail(JournalStorage storage, TrialOutcome outcome) {
    FrozenTrial t = storage.createTrial("shared", TrialState.RUNNING, Map.of());
    storage.finishTrial("shared", t.number(), outcome);
  }
}
