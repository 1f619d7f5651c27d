package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SamplersTest {

  private static List<Map<String, Object>> runRandom(long seed, int parallelism) {
    Study study = Study.builder("s").sampler(RandomSampler.seeded(seed)).build();
    study.optimize(
        trial -> {
          double x = trial.suggestFloat("x", -5, 5);
          int k = trial.suggestInt("k", 1, 100, true);
          String c = trial.suggestCategorical("c", "a", "b", "c");
          return TrialResult.of(x * x + k + c.length());
        },
        OptimizeOptions.trials(40).withParallelism(parallelism));
    return study.trials().stream().map(FrozenTrial::params).toList();
  }

  @Test
  void seededRandomSamplerIsReproducibleEvenInParallel() {
    List<Map<String, Object>> a = runRandom(42, 1);
    assertEquals(a, runRandom(42, 1));
    assertEquals(Set.copyOf(a), Set.copyOf(runRandom(42, 4)));
    assertNotEquals(a, runRandom(43, 1));
  }

  @Test
  void randomSamplerCoversTheRange() {
    Study study = Study.builder("cover").sampler(RandomSampler.seeded(7)).build();
    study.optimize(
        ObjectiveFunction.scalar(t -> t.suggestFloat("x", 0, 10)), OptimizeOptions.trials(500));
    int[] bins = new int[10];
    for (FrozenTrial t : study.trials()) {
      bins[Math.min(9, (int) ((Double) t.params().get("x")).doubleValue())]++;
    }
    for (int count : bins) {
      assertTrue(count > 25 && count < 75, "each tenth holds about 50 of 500: " + count);
    }
  }

  @Test
  void gridSamplerVisitsEveryPointOnceAndStops() {
    SearchSpace space =
        SearchSpace.builder()
            .intParam("depth", 2, 5)
            .categorical("booster", "gbtree", "dart")
            .build();
    Study study =
        Study.builder("grid")
            .space(space)
            .sampler(GridSampler.shuffled(GridSampler.gridOf(space), 1))
            .build();
    OptimizeSummary summary =
        study.optimize(ObjectiveFunction.scalar(t -> 1.0), OptimizeOptions.trials(100));
    assertEquals("exhausted", summary.stopReason());
    List<FrozenTrial> trials = study.trials();
    assertEquals(8, trials.size());
    Set<Map<String, Object>> distinct = new HashSet<>();
    trials.forEach(t -> distinct.add(t.params()));
    assertEquals(8, distinct.size());
  }

  @Test
  void gridSamplerHasNoDuplicatesAcrossParallelWorkers() {
    SearchSpace space =
        SearchSpace.builder()
            .intParam("a", 0, 5)
            .intParam("b", 0, 3)
            .categorical("c", "x", "y")
            .build();
    Study study =
        Study.builder("grid-parallel")
            .space(space)
            .sampler(GridSampler.of(GridSampler.gridOf(space)))
            .build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              Thread.sleep(2);
              return 0.0;
            }),
        OptimizeOptions.trials(200).withParallelism(4));
    List<FrozenTrial> complete = study.trials(Set.of(TrialState.COMPLETE));
    Set<Map<String, Object>> distinct = new HashSet<>();
    complete.forEach(t -> distinct.add(t.params()));
    assertEquals(48, complete.size());
    assertEquals(48, distinct.size());
  }

  @Test
  void sobolPointsAreMoreEvenThanRandomOnes() {
    Supplier<SearchSpace> space =
        () -> SearchSpace.builder().floatParam("x", 0, 1).floatParam("y", 0, 1).build();
    double sobol = discrepancy(runSpace(space.get(), SobolSampler.seeded(5), 256));
    double random = discrepancy(runSpace(space.get(), RandomSampler.seeded(5), 256));
    assertTrue(sobol < random * 0.6, "sobol " + sobol + " vs random " + random);
  }

  private static List<FrozenTrial> runSpace(SearchSpace space, Sampler sampler, int trials) {
    Study study = Study.builder("space").space(space).sampler(sampler).build();
    study.optimize(ObjectiveFunction.scalar(t -> 0.0), OptimizeOptions.trials(trials));
    return study.trials();
  }

  /** The largest deviation of the share of points in a 8x8 grid cell from its area. */
  private static double discrepancy(List<FrozenTrial> trials) {
    int[][] cells = new int[8][8];
    for (FrozenTrial t : trials) {
      int i = Math.min(7, (int) ((Double) t.params().get("x") * 8));
      int j = Math.min(7, (int) ((Double) t.params().get("y") * 8));
      cells[i][j]++;
    }
    double expected = trials.size() / 64.0;
    double worst = 0;
    for (int[] row : cells) {
      for (int c : row) {
        worst = Math.max(worst, Math.abs(c - expected));
      }
    }
    return worst;
  }
}
