package dev.knobflow.optimizers.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyBudgetTest {

  /** Counts the user attribute "cost" a trial stored, like the plugin's energy meters do. */
  private static final CostMeter COST =
      new CostMeter() {
        @Override
        public String name() {
          return "energy_kwh";
        }

        @Override
        public OptionalDouble cost(FrozenTrial trial) {
          return trial.userAttrs().get("cost") instanceof Number n
              ? OptionalDouble.of(n.doubleValue())
              : OptionalDouble.empty();
        }
      };

  private static Study study(StudyStorage storage, StudyBudget budget) {
    return Study.builder("budgeted")
        .objectives(Objective.minimize("loss"))
        .storage(storage)
        .space(SearchSpace.builder().floatParam("x", 0, 1).build())
        .sampler(RandomSampler.seeded(1))
        .budget(budget)
        .build();
  }

  @Test
  void aBudgetStopsTheStudyBeforeTheForecastTrialWouldExceedIt() {
    Study study = study(InMemoryStorage.create(), StudyBudget.builder().limit(COST, 1.0).build());
    OptimizeSummary summary =
        study.optimize(
            t -> {
              t.setUserAttr("cost", 0.3);
              return TrialResult.of((double) t.params().get("x"));
            },
            OptimizeOptions.trials(100));
    // 0.9 spent: a fourth trial forecast at 0.3 would make 1.2 > 1.0.
    assertEquals("budget", summary.stopReason());
    assertEquals(3, study.trials().size());
    BudgetStatus s = study.budgetStatus().get(0);
    assertEquals("energy_kwh", s.name());
    assertEquals(0.9, s.spent(), 1e-12);
    assertEquals(0.1, s.remaining(), 1e-12);
    assertEquals(0.3, s.forecast(), 1e-12);
    assertFalse(s.admitsAnother());
    assertTrue(s.describe().contains("spent 0.9 of 1, remaining 0.1"), s.describe());
  }

  @Test
  void wallTimeCountsFromTheFirstTrialOnTheBudgetsClock() {
    AtomicLong millis = new AtomicLong(0);
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
          }
        };
    StudyBudget budget = StudyBudget.builder().wall(Duration.ofHours(1)).clock(clock).build();
    Study study = study(InMemoryStorage.create(), budget);
    millis.set(System.currentTimeMillis());
    // Trials take no real time, but each one moves the budget's clock by 25 minutes.
    OptimizeSummary summary =
        study.optimize(
            t -> {
              millis.addAndGet(Duration.ofMinutes(25).toMillis());
              return TrialResult.of(1);
            },
            OptimizeOptions.trials(100));
    assertEquals("budget", summary.stopReason());
    // After 25 and 50 minutes (by this clock) another trial may start: the trials' own recorded
    // durations (real time, near zero here) forecast the next one; at 75 minutes the hour is spent.
    assertEquals(3, study.trials().size());
    BudgetStatus wall = study.budgetStatus().get(0);
    assertEquals(StudyBudget.WALL_HOURS, wall.name());
    assertTrue(wall.exhausted());
    assertEquals(75 / 60.0, wall.spent(), 1e-3);
  }

  @Test
  void reachingALimitPrunesTheRunningTrialsWithTheReason() throws Exception {
    Study study = study(InMemoryStorage.create(), StudyBudget.builder().limit(COST, 1.0).build());
    study.optimize(
        t -> {
          if (t.number() == 0) {
            // Over the limit on its own; it finishes once the second trial is running.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (study.trials().size() < 2 && System.nanoTime() < deadline) {
              Thread.sleep(2); // polls the condition
            }
            t.setUserAttr("cost", 1.5);
            return TrialResult.of(1);
          }
          // The second worker's trial runs until the first one's spending prunes it.
          t.report(1, 0.5);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (!t.shouldPrune()) {
            if (System.nanoTime() > deadline) {
              return TrialResult.of(0.5); // never pruned: the assertions below fail
            }
            Thread.sleep(2); // polls the condition
          }
          throw new TrialPrunedException("pruned");
        },
        OptimizeOptions.trials(2).withParallelism(2));
    List<FrozenTrial> trials = study.trials();
    assertEquals(2, trials.size());
    FrozenTrial pruned = trials.get(1);
    assertEquals(TrialState.PRUNED, pruned.state());
    assertTrue(pruned.failReason().contains("budget energy_kwh exhausted"), pruned.failReason());
  }

  @Test
  void twoWorkersOnOneJournalShareOneBudget(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<OptimizeSummary>> workers =
          List.of(pool.submit(() -> worker(journal)), pool.submit(() -> worker(journal)));
      for (Future<OptimizeSummary> w : workers) {
        assertEquals("budget", w.get(60, TimeUnit.SECONDS).stopReason());
      }
    } finally {
      pool.shutdownNow();
    }
    Study view =
        study(JournalStorage.open(journal), StudyBudget.builder().limit(COST, 2.0).build());
    double spent = view.budgetStatus().get(0).spent();
    // 0.1 per trial: 20 trials fit; each worker counts the other's running trial before starting
    // one, and only the check-then-start gap between processes can let one more through.
    assertTrue(spent <= 2.0 + 0.1 + 1e-9, "spent " + spent);
    assertTrue(spent >= 2.0 - 0.2 - 1e-9, "spent " + spent);
    assertTrue(view.trials().size() >= 18);
  }

  private static OptimizeSummary worker(Path journal) {
    Study study =
        study(JournalStorage.open(journal), StudyBudget.builder().limit(COST, 2.0).build());
    return study.optimize(
        t -> {
          t.setUserAttr("cost", 0.1);
          return TrialResult.of((double) t.params().get("x"));
        },
        OptimizeOptions.trials(1000));
  }

  @Test
  void badLimitsAreRejectedByName() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> StudyBudget.builder().limit(COST, 0))
            .getMessage()
            .contains("budget.energy_kwh"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> StudyBudget.builder().wall(Duration.ZERO))
            .getMessage()
            .contains("budget.wall"));
  }
}
