package dev.knobflow.optimizers.samplers.cmaes;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CmaEsSamplerTest {

  private static final int DIM = 6;

  private static SearchSpace box() {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int i = 0; i < DIM; i++) {
      b.floatParam("x" + i, -5, 5);
    }
    return b.build();
  }

  /** Sphere centred at 1.5 on every axis. */
  private static final ObjectiveFunction SPHERE =
      trial -> {
        double s = 0;
        for (int i = 0; i < DIM; i++) {
          double v = ((Number) trial.params().get("x" + i)).doubleValue() - 1.5;
          s += v * v;
        }
        return TrialResult.of(s);
      };

  private static Study study(String name, StudyStorage storage, SearchSpace space, Sampler s) {
    return Study.builder(name)
        .objectives(Objective.minimize("f"))
        .storage(storage)
        .space(space)
        .sampler(s)
        .build();
  }

  private static CmaEsSampler cma(long seed) {
    return CmaEsSampler.builder().seed(seed).build();
  }

  private static int attr(FrozenTrial t, String key) {
    return ((Number) t.systemAttrs().get(key)).intValue();
  }

  private static double best(Study study) {
    return study.bestTrial().orElseThrow().value();
  }

  @Test
  void findsTheSphereMinimumFarBetterThanRandomSearch() {
    Study cma = study("cma", InMemoryStorage.create(), box(), cma(1));
    cma.optimize(SPHERE, OptimizeOptions.trials(400));
    Study random = study("random", InMemoryStorage.create(), box(), RandomSampler.seeded(1));
    random.optimize(SPHERE, OptimizeOptions.trials(400));
    assertTrue(best(cma) < 1e-3, "cma-es " + best(cma));
    assertTrue(best(cma) < best(random) / 100, best(cma) + " vs random " + best(random));
  }

  @Test
  void everyTrialRecordsItsGenerationAndEachGenerationIsAFullPopulation() {
    Study study = study("generations", InMemoryStorage.create(), box(), cma(2));
    study.optimize(SPHERE, OptimizeOptions.trials(60));
    int lambda = 4 + (int) Math.floor(3 * Math.log(DIM)); // 9
    for (FrozenTrial t : study.trials()) {
      assertEquals(0, attr(t, CmaEsSampler.RESTART_ATTR));
      // One worker: trial n is the (n % lambda)-th member of generation n / lambda.
      assertEquals(t.number() / lambda, attr(t, CmaEsSampler.GENERATION_ATTR));
      assertEquals(DIM, ((List<?>) t.systemAttrs().get(CmaEsSampler.X_ATTR)).size());
    }
  }

  @Test
  void aReopenedStorageGivesTheSameNextProposals(@TempDir Path dir) {
    Path journal = dir.resolve("journal.jsonl");
    study("resume", JournalStorage.open(journal), box(), cma(5))
        .optimize(SPHERE, OptimizeOptions.trials(40));
    // A new process: a new storage handle and a new sampler instance with the same seed.
    Study resumed = study("resume", JournalStorage.open(journal), box(), cma(5));
    resumed.optimize(SPHERE, OptimizeOptions.trials(50));
    Study straight = study("straight", InMemoryStorage.create(), box(), cma(5));
    straight.optimize(SPHERE, OptimizeOptions.trials(90));
    for (int i = 0; i < 90; i++) {
      assertEquals(
          straight.trials().get(i).params(), resumed.trials().get(i).params(), "trial " + i);
      assertEquals(
          attr(straight.trials().get(i), CmaEsSampler.GENERATION_ATTR),
          attr(resumed.trials().get(i), CmaEsSampler.GENERATION_ATTR));
    }
  }

  @Test
  void byDefaultAGenerationsMembersComeInOppositeOrthogonalPairs() {
    // sigma0 0.02 around the centre: no draw leaves the unit cube, so none is resampled.
    Study study =
        study(
            "mirrored",
            InMemoryStorage.create(),
            box(),
            CmaEsSampler.builder().seed(8).sigma0(0.02).build());
    study.optimize(SPHERE, OptimizeOptions.trials(9));
    List<FrozenTrial> generation0 = study.trials();
    double[][] steps = new double[9][DIM];
    for (int k = 0; k < 9; k++) {
      assertEquals(0, attr(generation0.get(k), CmaEsSampler.GENERATION_ATTR));
      List<?> x = (List<?>) generation0.get(k).systemAttrs().get(CmaEsSampler.X_ATTR);
      for (int i = 0; i < DIM; i++) {
        steps[k][i] = ((Number) x.get(i)).doubleValue() - 0.5;
      }
    }
    for (int pair = 0; pair < 4; pair++) {
      for (int i = 0; i < DIM; i++) {
        assertEquals(-steps[2 * pair][i], steps[2 * pair + 1][i], 1e-12, "pair " + pair);
      }
      for (int other = 0; other < pair; other++) {
        double dot = 0;
        for (int i = 0; i < DIM; i++) {
          dot += steps[2 * pair][i] * steps[2 * other][i];
        }
        assertEquals(0, dot, 1e-12, "pairs " + pair + " and " + other);
      }
    }
  }

  @Test
  void ipopRestartsWithADoubledPopulationWhenTheSearchStagnates() {
    SearchSpace space = SearchSpace.builder().floatParam("a", 0, 1).floatParam("b", 0, 1).build();
    Study study = study("flat", InMemoryStorage.create(), space, cma(3));
    study.optimize(t -> TrialResult.of(1.0), OptimizeOptions.trials(300));
    List<FrozenTrial> trials = study.trials();
    // lambda = 6 for 2 axes; the flat-values criterion fires after 21 generations = 126 trials.
    assertEquals(0, attr(trials.get(125), CmaEsSampler.RESTART_ATTR));
    assertEquals(1, attr(trials.get(126), CmaEsSampler.RESTART_ATTR));
    long restart1gen0 =
        trials.stream()
            .filter(t -> attr(t, CmaEsSampler.RESTART_ATTR) == 1)
            .filter(t -> attr(t, CmaEsSampler.GENERATION_ATTR) == 0)
            .count();
    assertEquals(12, restart1gen0);
    // With restarts off it keeps sampling the converged run.
    Study none =
        study(
            "flat-none",
            InMemoryStorage.create(),
            space,
            CmaEsSampler.builder()
                .seed(3)
                .restartStrategy(CmaEsSampler.RestartStrategy.NONE)
                .build());
    none.optimize(t -> TrialResult.of(1.0), OptimizeOptions.trials(200));
    assertTrue(none.trials().stream().allMatch(t -> attr(t, CmaEsSampler.RESTART_ATTR) == 0));
  }

  @Test
  void theMarginFindsTheIntegerOptimum() {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int i = 0; i < 5; i++) {
      b.intParam("k" + i, -20, 20);
    }
    ObjectiveFunction f =
        trial -> {
          double s = 0;
          for (int i = 0; i < 5; i++) {
            double v = ((Number) trial.params().get("k" + i)).doubleValue() - 3.4;
            s += v * v;
          }
          return TrialResult.of(s);
        };
    for (long seed = 1; seed <= 3; seed++) {
      Study study = study("int" + seed, InMemoryStorage.create(), b.build(), cma(seed));
      study.optimize(f, OptimizeOptions.trials(300));
      assertEquals(5 * 0.16, best(study), 1e-9, "seed " + seed);
    }
  }

  @Test
  void categoricalParametersGoToTheIndependentSampler() {
    SearchSpace space =
        SearchSpace.builder()
            .floatParam("x", 0, 1)
            .floatParam("y", 0, 1)
            .categorical("kind", "a", "b", "c")
            .build();
    CmaEsSampler sampler = cma(7);
    Study study = study("mixed", InMemoryStorage.create(), space, sampler);
    assertEquals(Set.of("x", "y"), sampler.relativeSearchSpace(study, null).keySet());
    study.optimize(
        t ->
            TrialResult.of(
                ((Number) t.params().get("x")).doubleValue()
                    + ("b".equals(t.params().get("kind")) ? 0 : 1)),
        OptimizeOptions.trials(30));
    Set<Object> kinds = new HashSet<>();
    RandomSampler random = RandomSampler.seeded(7);
    for (FrozenTrial t : study.trials()) {
      kinds.add(t.params().get("kind"));
      assertEquals(
          random.sampleIndependent(study, t, "kind", space.distributions().get("kind")),
          t.params().get("kind"));
    }
    assertEquals(Set.of("a", "b", "c"), kinds);
  }

  @Test
  void priorObservationsWarmStartTheFirstGeneration() {
    List<PriorObservation> priors = new java.util.ArrayList<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < 40; i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      double s = 0;
      for (int j = 0; j < DIM; j++) {
        double v = 1.5 + (r.nextDouble() - 0.5) * 2;
        p.put("x" + j, v);
        s += (v - 1.5) * (v - 1.5);
      }
      priors.add(PriorObservation.of(p, s));
    }
    Study warm =
        study(
            "warm",
            InMemoryStorage.create(),
            box(),
            CmaEsSampler.builder().seed(4).priorObservations(priors).build());
    warm.optimize(SPHERE, OptimizeOptions.trials(9));
    Study cold = study("cold", InMemoryStorage.create(), box(), cma(4));
    cold.optimize(SPHERE, OptimizeOptions.trials(9));
    // The first generation is drawn around the best priors (near the optimum at 1.5 on every
    // axis), not around the centre of the box (0), where the cold start draws it.
    double warmOffset = centroidDistance(warm, 1.5);
    assertTrue(warmOffset < 1.0, "warm generation's centroid is " + warmOffset + " from 1.5");
    assertTrue(centroidDistance(cold, 0) < 1.0, "cold " + centroidDistance(cold, 0));
    assertTrue(best(cold) > best(warm), best(cold) + " vs " + best(warm));
  }

  /** The distance from (c, ..., c) to the centroid of the study's trials. */
  private static double centroidDistance(Study study, double c) {
    double[] sum = new double[DIM];
    for (FrozenTrial t : study.trials()) {
      for (int j = 0; j < DIM; j++) {
        sum[j] += ((Number) t.params().get("x" + j)).doubleValue() / study.trials().size();
      }
    }
    double d = 0;
    for (double v : sum) {
      d += (v - c) * (v - c);
    }
    return Math.sqrt(d);
  }

  @Test
  void trialsFinishedBeforeItTookOverWarmStartIt() {
    Study study = study("handover", InMemoryStorage.create(), box(), RandomSampler.seeded(9));
    study.optimize(SPHERE, OptimizeOptions.trials(50));
    Study cma = study("handover", (InMemoryStorage) study.storage(), box(), cma(9));
    cma.optimize(SPHERE, OptimizeOptions.trials(9));
    FrozenTrial first = cma.trials().get(50);
    List<?> warm = (List<?>) first.systemAttrs().get(CmaEsSampler.WARM_START_ATTR);
    assertEquals(50, warm.size());
  }

  @Test
  void fourParallelWorkersShareTheGenerations() {
    Study study = study("parallel", InMemoryStorage.create(), box(), cma(6));
    study.optimize(SPHERE, OptimizeOptions.trials(300).withParallelism(4));
    List<FrozenTrial> trials = study.trials();
    assertEquals(300, trials.size());
    assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
    int lastGeneration =
        trials.stream().mapToInt(t -> attr(t, CmaEsSampler.GENERATION_ATTR)).max().orElseThrow();
    assertTrue(lastGeneration >= 20, "generations " + lastGeneration);
    // Members finished after their generation was told are wasted, so this is looser than one
    // worker's 1e-3 at 400 trials; random search's best at 300 trials is above 1.
    assertTrue(best(study) < 0.5, "best " + best(study));
  }

  @Test
  void aMultiObjectiveStudyIsRejectedWithTheReason() {
    Study study =
        Study.builder("mo")
            .objectives(Objective.minimize("a"), Objective.minimize("b"))
            .storage(InMemoryStorage.create())
            .space(box())
            .sampler(cma(1))
            .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, study::ask);
    assertTrue(e.getMessage().contains("cmaes optimises one objective"), e.getMessage());
  }

  @Test
  void badSettingsAreRejectedByName() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CmaEsSampler.builder().populationSize(1))
            .getMessage()
            .contains("population_size"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CmaEsSampler.builder().sigma0(0))
            .getMessage()
            .contains("sigma0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CmaEsSampler.builder().incPopsize(1))
            .getMessage()
            .contains("inc_popsize"));
  }
}
