package dev.knobflow.optimizers.schedulers.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.budget.CostMeter;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.SamplerExhaustedException;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PbtSchedulerTest {

  @TempDir Path dir;

  private static Study study(String name, StudyStorage storage, PbtSettings settings) {
    return Study.builder(name)
        .storage(storage)
        .objectives(Objective.maximize("q"))
        .sampler(RandomSampler.seeded(11))
        .scheduler(PbtScheduler.create(settings))
        .build();
  }

  private static int member(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(PbtScheduler.MEMBER_ATTR)).intValue();
  }

  private static int generation(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(PbtScheduler.GENERATION_ATTR)).intValue();
  }

  private static Integer parent(FrozenTrial t) {
    Object p = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
    return p == null ? null : ((Number) p).intValue();
  }

  @Test
  void theFirstGenerationFillsThePopulationAndEachSegmentTrainsOneIntervalFurther() {
    Study study = study("fill", InMemoryStorage.create(), PbtSettings.builder(4, 5).build());
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(12));
    List<FrozenTrial> trials = study.trials();
    for (int i = 0; i < 4; i++) {
      assertEquals(i, member(trials.get(i)));
      assertEquals(0, generation(trials.get(i)));
      assertEquals(5.0, trials.get(i).budget());
      assertEquals(null, parent(trials.get(i)), "generation 0 starts from scratch");
    }
    for (FrozenTrial t : trials.subList(4, 12)) {
      assertEquals(trials.get(parent(t)).budget() + 5.0, t.budget(), "one interval further");
      int claimed = ((Number) t.systemAttrs().get(PbtScheduler.CLAIM_ATTR)).intValue();
      FrozenTrial previous = trials.get(claimed);
      assertEquals(member(t), member(previous), "a segment continues its own member");
      assertEquals(generation(t) - 1, generation(previous));
      assertTrue(parent(t) != null, "every later segment starts from a checkpoint");
    }
  }

  @Test
  void asynchronouslyTheMemberWithTheLeastBudgetTrainedContinuesFirst() {
    Study study =
        study("turns", InMemoryStorage.create(), PbtSettings.builder(4, 5).seed(3).build());
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(60));
    // Replay the study one segment at a time: each continuation must pick, among the members'
    // latest segments, the least budget, ties by the lower member.
    Map<Integer, Double> latestBudget = new java.util.TreeMap<>();
    int aheadExploits = 0;
    for (FrozenTrial t : study.trials()) {
      if (generation(t) > 0) {
        FrozenTrial continued =
            study.trials().get(((Number) t.systemAttrs().get(PbtScheduler.CLAIM_ATTR)).intValue());
        double least = latestBudget.values().stream().min(Double::compare).orElseThrow();
        int first =
            latestBudget.entrySet().stream()
                .filter(e -> e.getValue() == least)
                .findFirst()
                .orElseThrow()
                .getKey();
        assertEquals(least, continued.budget(), "trial " + t.number() + " continues the least");
        assertEquals(first, member(t), "trial " + t.number() + ": ties by member index");
        if (t.budget() > continued.budget() + 5) {
          aheadExploits++; // copied a checkpoint ahead of its own: generation and budget differ
        }
      }
      latestBudget.put(member(t), t.budget());
    }
    assertTrue(aheadExploits >= 1, "some member copied a checkpoint ahead of its own");
    // The population stays within one interval of itself plus the lead one exploit can take.
    double spread =
        latestBudget.values().stream().max(Double::compare).orElseThrow()
            - latestBudget.values().stream().min(Double::compare).orElseThrow();
    assertTrue(spread <= 15, "budgets spread over " + spread);
  }

  @Test
  void everyMemberStopsAtTheMaximumBudgetAndThenTheStudyIsExhausted() {
    for (boolean synchronous : List.of(false, true)) {
      PbtSettings settings =
          PbtSettings.builder(3, 4).seed(5).synchronous(synchronous).maxBudget(10).build();
      Study study = study("max-" + synchronous, InMemoryStorage.create(), settings);
      study.optimize(ToyProblem::segment, OptimizeOptions.trials(100));
      List<FrozenTrial> trials = study.trials();
      assertTrue(trials.size() < 100, synchronous + ": " + trials.size() + " segments");
      Map<Integer, Double> last = new HashMap<>();
      for (FrozenTrial t : trials) {
        assertEquals(TrialState.COMPLETE, t.state());
        assertTrue(t.budget() <= 10, "trial " + t.number() + " budget " + t.budget());
        Integer p = parent(t);
        if (p != null) {
          double start = trials.get(p).budget();
          assertTrue(start < 10, "trial " + t.number() + " starts from a finished member");
          assertEquals(Math.min(start + 4, 10), t.budget(), "the last segment is cut at 10");
        }
        last.put(member(t), t.budget());
      }
      assertEquals(Map.of(0, 10.0, 1, 10.0, 2, 10.0), last, synchronous + ": each member at 10");
      assertThrows(SamplerExhaustedException.class, study::ask);
      assertTrue(
          study.scheduler().describe().contains("max_budget=10"), study.scheduler().describe());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PbtSettings.builder(3, 4).maxBudget(0).build());
    assertTrue(e.getMessage().startsWith("scheduler.max_budget: must be a number above 0"));
  }

  @Test
  void aStudyBudgetOnTheTrainedBudgetEndsThePopulationAtTheTotalTrainedNotAtTheBudgetsReached() {
    Study study =
        Study.builder("total")
            .storage(InMemoryStorage.create())
            .objectives(Objective.maximize("q"))
            .sampler(RandomSampler.seeded(11))
            .scheduler(PbtScheduler.create(PbtSettings.builder(4, 5).seed(3).build()))
            .budget(StudyBudget.builder().limit(PbtScheduler.trainedBudget(), 4 * 30).build())
            .build();
    long[] trained = {0};
    study.optimize(
        t -> {
          // The steps this segment really trains: from its checkpoint's step to its budget.
          long from = t.checkpoint().load().map(b -> ByteBuffer.wrap(b).getLong(16)).orElse(0L);
          trained[0] += (long) t.budget().orElseThrow() - from;
          return ToyProblem.segment(t);
        },
        OptimizeOptions.trials(1000));
    List<FrozenTrial> trials = study.trials();
    assertEquals(120, trained[0], "the population trained exactly the total");
    assertEquals(24, trials.size(), "every segment trains one interval, exploits included");
    CostMeter meter = PbtScheduler.trainedBudget();
    int aheadExploits = 0;
    for (FrozenTrial t : trials) {
      assertEquals(5.0, meter.cost(t).orElseThrow(), "trial " + t.number());
      Integer p = parent(t);
      assertEquals(
          p == null ? null : trials.get(p).budget(),
          t.systemAttrs().get(PbtScheduler.START_ATTR) == null
              ? null
              : ((Number) t.systemAttrs().get(PbtScheduler.START_ATTR)).doubleValue());
      if (t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR)
          && trials.get(p).budget() > trials.get(claimOf(t)).budget()) {
        aheadExploits++;
      }
    }
    assertTrue(aheadExploits >= 1, "a member copied a checkpoint ahead of its own");
    // Members that copied ahead went past 30 steps: the total, not a per-member stop, ended it.
    double furthest = trials.stream().mapToDouble(FrozenTrial::budget).max().orElseThrow();
    assertTrue(furthest > 30, "furthest member at " + furthest);
    assertEquals(
        List.of(120.0),
        study.budgetStatus().stream().map(s -> s.spent()).toList(),
        "the budget reports what was trained");
    Study plain =
        Study.builder("plain")
            .storage(InMemoryStorage.create())
            .objectives(Objective.maximize("q"))
            .build();
    assertEquals(
        OptionalDouble.empty(),
        meter.cost(plain.tell(plain.ask(), TrialResult.of(1.0))),
        "a trial outside a PBT population costs nothing");
  }

  /**
   * A score that grows with training: each step adds h0 (the "learning speed"), so a member further
   * along outscores a faster learner behind it. The checkpoint holds the sum and the step.
   */
  private static TrialResult accumulate(dev.knobflow.optimizers.Trial t) {
    double h0 = t.suggestFloat("h0", 0, 1);
    ByteBuffer saved = t.checkpoint().load().map(ByteBuffer::wrap).orElse(null);
    double sum = saved == null ? 0 : saved.getDouble(0);
    long step = saved == null ? 0 : saved.getLong(8);
    for (; step < (long) t.budget().orElseThrow(); step++) {
      sum += h0;
    }
    t.checkpoint().save(ByteBuffer.allocate(16).putDouble(sum).putLong(step).array());
    return TrialResult.of(sum);
  }

  @Test
  void rankingAtEqualBudgetJudgesEachLineageAtTheDecidingMembersBudget() {
    PbtSettings settings = PbtSettings.builder(6, 2).seed(4).equalBudgetRanking(true).build();
    Study study = study("equal", InMemoryStorage.create(), settings);
    study.optimize(PbtSchedulerTest::accumulate, OptimizeOptions.trials(90));
    assertTrue(study.scheduler().describe().contains("rank_at=equal_budget"));
    List<FrozenTrial> trials = study.trials();
    int exploits = 0;
    int differFromLatestRanking = 0;
    for (FrozenTrial t : trials) {
      if (generation(t) == 0) {
        continue;
      }
      // Replay the decision: one segment at a time, so the trials before t are all finished.
      FrozenTrial decider = trials.get(claimOf(t));
      Map<Integer, FrozenTrial> latest = new java.util.TreeMap<>();
      for (FrozenTrial o : trials.subList(0, t.number())) {
        latest.put(member(o), o);
      }
      Map<Integer, Double> atBudget = new HashMap<>();
      latest.forEach(
          (m, o) -> {
            FrozenTrial p = o;
            while (p.budget() > decider.budget()) {
              p = trials.get(parent(p)); // up the checkpoint chain, through copied donors
            }
            atBudget.put(m, p.value());
          });
      double own = atBudget.get(member(t));
      long better = atBudget.values().stream().filter(v -> v > own).count();
      // Members whose lineages share the decider's result tie with it (lineages that copied it).
      long tied = atBudget.values().stream().filter(v -> v == own).count() - 1;
      long betterLatest = latest.values().stream().filter(o -> o.value() > decider.value()).count();
      boolean exploited = t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR);
      // Quantile 0.25 of 6 members: the 2 worst exploit (ties: the lower member ranks first).
      if (better >= 4) {
        assertTrue(exploited, "trial " + t.number() + ": a bottom lineage at equal budget");
      }
      if (better + tied <= 3) {
        assertFalse(exploited, "trial " + t.number() + ": outside the bottom at equal budget");
      }
      if (exploited) {
        exploits++;
        // The donor is a top lineage at equal budget, copied at its latest checkpoint.
        int donor = ((Number) normalise(exploitOf(t)).get("from_member")).intValue();
        long donorBetter = atBudget.values().stream().filter(v -> v > atBudget.get(donor)).count();
        assertTrue(donorBetter <= 1, "trial " + t.number() + ": donor " + donor);
        assertEquals(latest.get(donor).number(), parent(t), "the donor's latest checkpoint");
      }
      if ((better >= 4) != (betterLatest >= 4)) {
        differFromLatestRanking++;
      }
    }
    assertTrue(exploits >= 5, exploits + " exploits");
    assertTrue(
        differFromLatestRanking >= 1,
        "some decisions differ from ranking the members' latest results");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> exploitOf(FrozenTrial t) {
    return (Map<String, Object>) t.systemAttrs().get(PbtScheduler.EXPLOIT_ATTR);
  }

  private static int claimOf(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(PbtScheduler.CLAIM_ATTR)).intValue();
  }

  @Test
  void aBottomMemberCopiesTheCheckpointOfATopMemberAndExploresItsHyperparameters() {
    PbtSettings settings = PbtSettings.builder(4, 10).synchronous(true).seed(3).build();
    Study study = study("exploit", InMemoryStorage.create(), settings);
    // Member 0 never moves theta (the worst), member 3 moves both coordinates fastest (the best).
    study.enqueue(Map.of("h0", 0.0, "h1", 0.0));
    study.enqueue(Map.of("h0", 0.2, "h1", 0.2));
    study.enqueue(Map.of("h0", 0.5, "h1", 0.5));
    study.enqueue(Map.of("h0", 1.0, "h1", 1.0));
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(6));
    List<FrozenTrial> trials = study.trials();
    FrozenTrial worst = trials.get(4);
    assertEquals(0, member(worst));
    assertEquals(3, parent(worst), "the bottom quarter (member 0) loads the best one's checkpoint");
    assertEquals(20.0, worst.budget(), "and trains one interval beyond it");
    @SuppressWarnings("unchecked")
    Map<String, Object> lineage =
        (Map<String, Object>) worst.systemAttrs().get(PbtScheduler.EXPLOIT_ATTR);
    assertEquals(Map.of("from_member", 3, "from_trial", 3, "generation", 1), normalise(lineage));
    for (String p : List.of("h0", "h1")) {
      double v = (double) worst.params().get(p);
      assertTrue(Math.abs(v - 0.8) < 1e-12 || v == 1.0 || (v >= 0 && v <= 1), p + " " + v);
    }
    assertNotEquals(Map.of("h0", 0.0, "h1", 0.0), worst.params());
    // The copied state is really used: the exploiting member starts from member 3's theta.
    assertTrue(worst.value() > trials.get(3).value(), "copied progress " + worst.value());
    FrozenTrial middle = trials.get(5);
    assertEquals(1, member(middle));
    assertEquals(1, parent(middle), "a member outside the bottom quarter continues itself");
    assertEquals(trials.get(1).params(), middle.params());
    assertFalse(middle.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR));
  }

  private static Map<String, Object> normalise(Map<String, Object> m) {
    Map<String, Object> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, ((Number) v).intValue()));
    return out;
  }

  @Test
  void twoObjectivesExploitByParetoRank() {
    Study study =
        Study.builder("mo")
            .storage(InMemoryStorage.create())
            .objectives(Objective.maximize("a"), Objective.maximize("b"))
            .sampler(RandomSampler.seeded(1))
            .scheduler(PbtScheduler.create(PbtSettings.builder(4, 1).build()))
            .build();
    // Member 0 is dominated by every other member; members 1-3 are mutually non-dominated.
    double[][] values = {{0, 0}, {3, 1}, {2, 2}, {1, 3}};
    for (int i = 0; i < 4; i++) {
      study.enqueue(Map.of("i", i));
    }
    study.optimize(
        t -> {
          int i = t.suggestInt("i", 0, 3);
          if (t.number() >= 4) {
            return TrialResult.of(1, 1);
          }
          return TrialResult.of(values[i][0], values[i][1]);
        },
        OptimizeOptions.trials(5));
    FrozenTrial next = study.trials().get(4);
    assertEquals(0, member(next));
    assertTrue(next.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR));
    // Ranked by front and then crowding: the boundary points of the front (members 1 and 3) lead.
    assertTrue(Set.of(1, 3).contains(parent(next)), "copied from " + parent(next));
  }

  @Test
  void pbtReachesTheToyProblemsOptimumWhereTheFixedInitialHyperparametersCannot() {
    // The paper's setting: two members, h = (1, 0) and (0, 1).
    PbtSettings settings = PbtSettings.builder(2, 4).quantile(0.5).seed(5).build();
    Study study = study("toy", InMemoryStorage.create(), settings);
    study.enqueue(Map.of("h0", 1.0, "h1", 0.0));
    study.enqueue(Map.of("h0", 0.0, "h1", 1.0));
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(2 * 25));
    double pbt = study.bestTrial().orElseThrow().value();
    // Without PBT, 100 steps with h = (1, 0) leave theta1 at 0.9: Q = 1.2 - 0.81 - 0.9^2 *
    // 0.98^200.
    double fixed = 1.2 - 0.81 - 0.81 * Math.pow(0.98, 200);
    assertTrue(fixed < 0.4, "fixed " + fixed);
    assertTrue(pbt > 1.15, "PBT's best Q " + pbt + " (the optimum is 1.2)");
    long exploits =
        study.trials().stream()
            .filter(t -> t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR))
            .count();
    assertTrue(exploits >= 5, "exploits " + exploits);
  }

  @Test
  void aStudyReopenedFromItsJournalMakesTheSameDecisionsAsOneThatRanThrough() {
    PbtSettings settings = PbtSettings.builder(4, 3).seed(9).build();
    Path straight = dir.resolve("straight.jsonl");
    Study through = study("resume", JournalStorage.open(straight), settings);
    through.optimize(ToyProblem::segment, OptimizeOptions.trials(24));

    Path interrupted = dir.resolve("interrupted.jsonl");
    study("resume", JournalStorage.open(interrupted), settings)
        .optimize(ToyProblem::segment, OptimizeOptions.trials(10));
    Study resumed = study("resume", JournalStorage.open(interrupted), settings);
    resumed.optimize(ToyProblem::segment, OptimizeOptions.trials(14));

    List<FrozenTrial> a = through.trials();
    List<FrozenTrial> b = resumed.trials();
    assertEquals(24, b.size());
    for (int i = 0; i < 24; i++) {
      assertEquals(a.get(i).params(), b.get(i).params(), "params of trial " + i);
      assertEquals(a.get(i).values(), b.get(i).values(), "values of trial " + i);
      for (String key :
          List.of(
              PbtScheduler.MEMBER_ATTR,
              PbtScheduler.GENERATION_ATTR,
              PbtScheduler.CLAIM_ATTR,
              PbtScheduler.EXPLOIT_ATTR,
              Checkpoint.PARENT_ATTR)) {
        assertEquals(
            String.valueOf(a.get(i).systemAttrs().get(key)),
            String.valueOf(b.get(i).systemAttrs().get(key)),
            key + " of trial " + i);
      }
    }
    // The stored schedule of a member reads back generation by generation, an unbroken chain.
    List<Map<String, Object>> schedule = PbtScheduler.schedule(resumed, 0);
    assertTrue(schedule.size() >= 4, "member 0's segments " + schedule.size());
    assertEquals(
        IntStream.range(0, schedule.size()).boxed().toList(),
        schedule.stream().map(e -> e.get("generation")).toList());
  }

  @Test
  void asynchronousWorkersNeverContinueTheSameSegmentTwice() {
    Study study =
        study("async", InMemoryStorage.create(), PbtSettings.builder(6, 2).seed(1).build());
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(60).withParallelism(4));
    Set<Integer> continued = new HashSet<>();
    for (FrozenTrial t : study.trials()) {
      assertEquals(TrialState.COMPLETE, t.state());
      Object claim = t.systemAttrs().get(PbtScheduler.CLAIM_ATTR);
      if (claim != null && !t.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR)) {
        assertTrue(
            continued.add(((Number) claim).intValue()), "segment " + claim + " continued twice");
      }
    }
  }

  @Test
  void synchronousGenerationsStartOnlyAfterTheWholePreviousGenerationEnded() {
    PbtSettings settings =
        PbtSettings.builder(4, 2)
            .synchronous(true)
            .pollInterval(Duration.ofMillis(5))
            .seed(2)
            .build();
    Study study = study("sync", InMemoryStorage.create(), settings);
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(20).withParallelism(3));
    Map<Integer, List<FrozenTrial>> byGeneration = new LinkedHashMap<>();
    for (FrozenTrial t : study.trials()) {
      if (t.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR)) {
        continue;
      }
      byGeneration.computeIfAbsent(generation(t), g -> new java.util.ArrayList<>()).add(t);
    }
    // A spare (two workers continuing one segment at once) uses up a trial, so the last
    // generation may be short; every earlier one is whole.
    int last = byGeneration.size() - 1;
    assertTrue(last >= 3, "generations " + byGeneration.keySet());
    for (int g = 1; g <= last; g++) {
      var previousEnd =
          byGeneration.get(g - 1).stream()
              .map(FrozenTrial::completed)
              .max(Comparable::compareTo)
              .orElseThrow();
      for (FrozenTrial t : byGeneration.get(g)) {
        assertFalse(
            t.started().isBefore(previousEnd), "trial " + t.number() + " of generation " + g);
      }
      if (g < last) {
        assertEquals(4, byGeneration.get(g).size(), "generation " + g);
      }
    }
  }

  @Test
  void aSegmentAbandonedByItsWorkerIsRunAgainByItsMemberFromTheSameCheckpoint() {
    PbtSettings settings = PbtSettings.builder(2, 5).seed(5).build();
    Study study = study("abandon", InMemoryStorage.create(), settings);
    study.optimize(ToyProblem::segment, OptimizeOptions.trials(4));
    // The next segment starts, then its worker dies under it (as resume marks it).
    dev.knobflow.optimizers.Trial started = study.ask();
    int number = started.number();
    study.failRunningTrials(dev.knobflow.optimizers.TrialTarget.INTERRUPTED_REASON_PREFIX);
    FrozenTrial abandoned = study.trials().get(number);
    assertEquals(TrialState.FAIL, abandoned.state());

    study.optimize(ToyProblem::segment, OptimizeOptions.trials(1));

    FrozenTrial retry = study.trials().get(number + 1);
    assertEquals(member(abandoned), member(retry), "the same member");
    assertEquals(generation(abandoned), generation(retry), "the same generation again");
    assertEquals(parent(abandoned), parent(retry), "from the same checkpoint");
    assertEquals(abandoned.budget(), retry.budget());
    assertEquals(
        abandoned.systemAttrs().get(PbtScheduler.CLAIM_ATTR),
        retry.systemAttrs().get(PbtScheduler.CLAIM_ATTR),
        "it continues the segment the abandoned one claimed");
    assertFalse(retry.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR), "not a spare");
    List<Map<String, Object>> schedule = PbtScheduler.schedule(study, member(retry));
    assertTrue(
        schedule.stream().noneMatch(e -> e.get("trial").equals(number)),
        "the abandoned segment is not in the schedule: " + schedule);
    assertEquals(
        java.util.stream.IntStream.range(0, schedule.size()).boxed().toList(),
        schedule.stream().map(e -> e.get("generation")).toList());
  }
}
