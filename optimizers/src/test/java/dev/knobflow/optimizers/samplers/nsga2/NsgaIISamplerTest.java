package dev.knobflow.optimizers.samplers.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NsgaIISamplerTest {

  private static final int VARIABLES = 6;

  private static SearchSpace unitCube() {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int i = 0; i < VARIABLES; i++) {
      b.floatParam("x" + i, 0, 1);
    }
    return b.build();
  }

  /** ZDT1: f1 = x0, f2 = g (1 - sqrt(x0 / g)), g = 1 + 9 mean(x1..x5). */
  private static final ObjectiveFunction ZDT1 =
      trial -> {
        double[] x = new double[VARIABLES];
        for (int i = 0; i < VARIABLES; i++) {
          x[i] = (double) trial.params().get("x" + i);
        }
        double sum = 0;
        for (int i = 1; i < VARIABLES; i++) {
          sum += x[i];
        }
        double g = 1 + 9 * sum / (VARIABLES - 1);
        return TrialResult.of(x[0], g * (1 - Math.sqrt(x[0] / g)));
      };

  private static Study study(String name, StudyStorage storage, Sampler sampler) {
    return Study.builder(name)
        .objectives(Objective.minimize("f1"), Objective.minimize("f2"))
        .storage(storage)
        .space(unitCube())
        .sampler(sampler)
        .build();
  }

  private static NsgaIISampler nsga(int population, long seed) {
    return NsgaIISampler.builder().populationSize(population).seed(seed).build();
  }

  private static int generation(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(NsgaIISampler.GENERATION_ATTR)).intValue();
  }

  private static List<Integer> parents(FrozenTrial t) {
    List<Integer> out = new ArrayList<>();
    for (Object o : (List<?>) t.systemAttrs().get(NsgaIISampler.PARENTS_ATTR)) {
      out.add(((Number) o).intValue());
    }
    return out;
  }

  private static double hypervolume(Study study) {
    List<FrozenTrial> done = study.trials(Set.of(TrialState.COMPLETE));
    double[][] points = new double[done.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = new double[] {done.get(i).values().get(0), done.get(i).values().get(1)};
    }
    return Hypervolume.compute(points, new double[] {1.1, 1.1});
  }

  /**
   * The invariant every NSGA-II study keeps: trial n is in generation n / P (so no generation has
   * more than P trials), generation 0 and only it is random, and every parent of a trial in
   * generation g is a COMPLETE trial of an earlier generation.
   */
  private static void assertGenerationsConsistent(List<FrozenTrial> trials, int population) {
    Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    Map<Integer, Integer> perGeneration = new HashMap<>();
    for (FrozenTrial t : trials) {
      byNumber.put(t.number(), t);
      perGeneration.merge(generation(t), 1, Integer::sum);
    }
    perGeneration.forEach(
        (g, count) -> assertTrue(count <= population, "generation " + g + " has " + count));
    for (FrozenTrial t : trials) {
      int g = generation(t);
      assertEquals(t.number() / population, g, "trial " + t.number());
      List<Integer> parents = parents(t);
      if (g == 0) {
        assertTrue(parents.isEmpty(), "generation 0 trial " + t.number() + " has parents");
        continue;
      }
      for (int p : parents) {
        FrozenTrial parent = byNumber.get(p);
        assertEquals(TrialState.COMPLETE, parent.state(), "parent " + p + " of " + t.number());
        assertTrue(generation(parent) < g, "parent " + p + " is not older than " + t.number());
      }
    }
  }

  @Test
  void trialsCarryTheirGenerationAndTwoCompletedParents() {
    Study study = study("attrs", InMemoryStorage.create(), nsga(10, 1));
    study.optimize(ZDT1, OptimizeOptions.trials(45));
    List<FrozenTrial> trials = study.trials();
    assertGenerationsConsistent(trials, 10);
    for (FrozenTrial t : trials.subList(10, 45)) {
      assertEquals(2, parents(t).size(), "trial " + t.number());
    }
    assertEquals(4, generation(trials.get(44)));
  }

  @Test
  void theSameSeedGivesTheSameStudy() {
    Study a = study("a", InMemoryStorage.create(), nsga(8, 42));
    Study b = study("b", InMemoryStorage.create(), nsga(8, 42));
    Study c = study("c", InMemoryStorage.create(), nsga(8, 43));
    a.optimize(ZDT1, OptimizeOptions.trials(40));
    b.optimize(ZDT1, OptimizeOptions.trials(40));
    c.optimize(ZDT1, OptimizeOptions.trials(40));
    for (int i = 0; i < 40; i++) {
      assertEquals(a.trials().get(i).params(), b.trials().get(i).params(), "trial " + i);
      assertEquals(parents(a.trials().get(i)), parents(b.trials().get(i)));
    }
    assertFalse(a.trials().get(39).params().equals(c.trials().get(39).params()));
  }

  @Test
  void aResumedStudyContinuesTheRightGeneration(@TempDir Path dir) {
    Path journal = dir.resolve("journal.jsonl");
    study("resume", JournalStorage.open(journal), nsga(10, 5))
        .optimize(ZDT1, OptimizeOptions.trials(27));
    // A new process: new storage handle, new sampler instance, same study.
    Study resumed = study("resume", JournalStorage.open(journal), nsga(10, 5));
    resumed.optimize(ZDT1, OptimizeOptions.trials(18));
    List<FrozenTrial> trials = resumed.trials();
    assertEquals(45, trials.size());
    assertEquals(2, generation(trials.get(27)));
    assertEquals(4, generation(trials.get(44)));
    assertGenerationsConsistent(trials, 10);
    // The resumed trials breed from the first run's completed trials.
    assertTrue(parents(trials.get(27)).stream().allMatch(p -> p < 20));

    // An uninterrupted study with the same seed samples the same parameters.
    Study straight = study("straight", InMemoryStorage.create(), nsga(10, 5));
    straight.optimize(ZDT1, OptimizeOptions.trials(45));
    for (int i = 0; i < 45; i++) {
      assertEquals(
          ((Number) straight.trials().get(i).params().get("x3")).doubleValue(),
          ((Number) trials.get(i).params().get("x3")).doubleValue(),
          1e-12,
          "trial " + i);
    }
  }

  @Test
  void fourParallelWorkersKeepGenerationsConsistent() {
    Study study = study("parallel", InMemoryStorage.create(), nsga(12, 9));
    study.optimize(
        trial -> {
          Thread.sleep(1);
          return ZDT1.evaluate(trial);
        },
        OptimizeOptions.trials(120).withParallelism(4));
    List<FrozenTrial> trials = study.trials();
    assertEquals(120, trials.size());
    assertGenerationsConsistent(trials, 12);
    for (int g = 0; g < 10; g++) {
      final int gen = g;
      assertEquals(12, trials.stream().filter(t -> generation(t) == gen).count());
    }
  }

  @Test
  void failedAndPrunedTrialsNeverBecomeParents() {
    Study study = study("failures", InMemoryStorage.create(), nsga(10, 3));
    study.optimize(
        trial -> {
          if ((double) trial.params().get("x1") > 0.4) {
            throw new IllegalStateException("diverged");
          }
          if ((double) trial.params().get("x2") > 0.8) {
            throw new dev.knobflow.optimizers.TrialPrunedException("pruned");
          }
          return ZDT1.evaluate(trial);
        },
        OptimizeOptions.trials(80));
    List<FrozenTrial> trials = study.trials();
    long failed = trials.stream().filter(t -> t.state() == TrialState.FAIL).count();
    assertTrue(failed >= 4, "the test needs failures, got " + failed);
    assertGenerationsConsistent(trials, 10);
    // Breeding from completed trials only, later generations rarely fail.
    long lateFailures =
        trials.subList(60, 80).stream().filter(t -> t.state() != TrialState.COMPLETE).count();
    assertTrue(lateFailures < 10, "late failures " + lateFailures);
  }

  @Test
  void infeasibleTrialsLoseToFeasibleOnesInParentSelection() {
    NsgaIISampler sampler = nsga(10, 4);
    Study study = study("constraints", InMemoryStorage.create(), sampler);
    // Feasible only when x0 >= 0.5; the unconstrained front would favour small x0.
    study.optimize(
        trial -> ZDT1.evaluate(trial).withConstraints(0.5 - (double) trial.params().get("x0")),
        OptimizeOptions.trials(30));
    List<Candidate> parents = sampler.parentPopulation(study, 3);
    long feasibleKnown =
        study.trials(Set.of(TrialState.COMPLETE)).stream()
            .filter(t -> t.number() < 20 && t.isFeasible())
            .count();
    assertTrue(feasibleKnown >= 3, "feasible trials " + feasibleKnown);
    // Feasible candidates come first in the crowded order.
    for (int i = 0; i < parents.size(); i++) {
      if (parents.get(i).violation() > 0) {
        for (Candidate later : parents.subList(i, parents.size())) {
          assertTrue(later.violation() > 0, "feasible after infeasible at " + i);
        }
        break;
      }
    }
    assertEquals(0.0, parents.get(0).violation());
  }

  @Test
  void parametersFirstSeenDefineByRunAreSampledIndependently() {
    Study study =
        Study.builder("dbr")
            .objectives(Objective.minimize("f1"), Objective.minimize("f2"))
            .sampler(nsga(6, 2))
            .build();
    study.optimize(
        trial -> {
          double x = trial.suggestFloat("x", 0, 1);
          double extra = trial.number() >= 20 ? trial.suggestFloat("late", 10, 20) : 0;
          assertTrue(extra == 0 || (extra >= 10 && extra <= 20));
          return TrialResult.of(x, 1 - x);
        },
        OptimizeOptions.trials(30));
    assertEquals(30, study.trials(Set.of(TrialState.COMPLETE)).size());
    assertEquals(2, parents(study.trials().get(25)).size());
  }

  @Test
  void badSettingsAreRejectedByName() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> NsgaIISampler.builder().populationSize(3));
    assertTrue(e.getMessage().contains("population_size"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NsgaIISampler.builder().crossoverProbability(1.5));
    assertTrue(e.getMessage().contains("crossover_probability"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NsgaIISampler.builder().mutationProbability(-0.1));
    assertTrue(e.getMessage().contains("mutation_probability"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NsgaIISampler.builder().mutationProbability(Double.NaN));
    assertTrue(e.getMessage().contains("mutation_probability"), e.getMessage());
  }

  @Test
  void onZdt1ItBeatsRandomSearchWithTheSameBudget() {
    for (long seed : new long[] {11, 12}) {
      Study nsga = study("nsga" + seed, InMemoryStorage.create(), nsga(20, seed));
      Study random = study("random" + seed, InMemoryStorage.create(), RandomSampler.seeded(seed));
      nsga.optimize(ZDT1, OptimizeOptions.trials(400));
      random.optimize(ZDT1, OptimizeOptions.trials(400));
      double nsgaHv = hypervolume(nsga);
      double randomHv = hypervolume(random);
      // Optimum 0.8767; random search barely reaches the reference box in 400 trials.
      assertTrue(
          nsgaHv > randomHv + 0.2, "seed " + seed + ": nsga " + nsgaHv + " random " + randomHv);
    }
  }
}
