package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A model-based sampler never runs a configuration the study already has, unless noisy. */
class NoRepeatedConfigurationsTest {

  /** 6 x 3 = 18 configurations; the optimum sits at a bound, where models keep proposing. */
  private static final SearchSpace SMALL =
      SearchSpace.builder()
          .add("n", IntDistribution.of(0, 5))
          .add("c", CategoricalDistribution.of("a", "b", "c"))
          .build();

  private static final ObjectiveFunction CORNER =
      ObjectiveFunction.scalar(
          t -> {
            long n = (Long) t.params().get("n");
            return (n - 5) * (n - 5) + ("b".equals(t.params().get("c")) ? 0 : 1);
          });

  private static Study study(Sampler sampler, SearchSpace space, boolean noisy) {
    return Study.builder("repeats").space(space).sampler(sampler).noisy(noisy).build();
  }

  private static int distinct(Study study) {
    Set<Map<String, Object>> configs = new HashSet<>();
    for (FrozenTrial t : study.trials()) {
      configs.add(t.params());
    }
    return configs.size();
  }

  @Test
  void tpeRunsEveryConfigurationOfASmallSpaceOnce() {
    Study study = study(TpeSampler.seeded(7), SMALL, false);
    study.optimize(CORNER, OptimizeOptions.trials(18));
    assertEquals(18, study.trials().size());
    assertEquals(18, distinct(study), "a configuration ran twice");
  }

  @Test
  void aNoisyObjectiveLetsTpeRepeatAConfiguration() {
    Study study = study(TpeSampler.seeded(7), SMALL, true);
    study.optimize(CORNER, OptimizeOptions.trials(18));
    assertTrue(
        distinct(study) < 18,
        "declared noisy, TPE should be free to re-evaluate its best configuration");
    assertTrue(
        study.trials().stream()
            .noneMatch(t -> t.systemAttrs().containsKey(RepeatGuard.REPEAT_AVOIDED_ATTR)));
  }

  @Test
  void anExhaustedSpaceStopsTheStudyWithoutFailedTrials() {
    Study study = study(TpeSampler.seeded(8), SMALL, false);
    OptimizeSummary summary = study.optimize(CORNER, OptimizeOptions.trials(30));
    assertEquals("exhausted", summary.stopReason());
    assertEquals(18, study.trials().size());
    assertEquals(18, distinct(study));
    assertEquals(Map.of(TrialState.COMPLETE, 18L), study.countByState());
  }

  @Test
  void parallelWorkersDoNotStartTheSameConfiguration() {
    Study study = study(TpeSampler.seeded(9), SMALL, false);
    study.optimize(CORNER, OptimizeOptions.trials(18).withParallelism(4));
    assertEquals(18, study.trials().size());
    assertEquals(18, distinct(study), "two workers ran the same configuration");
  }

  @Test
  void anEnqueuedConfigurationRunsEvenIfItRepeats() {
    Study study = study(TpeSampler.seeded(10), SMALL, false);
    study.optimize(CORNER, OptimizeOptions.trials(3));
    Map<String, Object> first = study.trials().get(0).params();
    study.enqueue(first);
    study.optimize(CORNER, OptimizeOptions.trials(1));
    assertEquals(first, study.trials().get(3).params());
  }

  enum ModelSampler {
    GP(() -> GpSampler.seeded(3)),
    CMA_ES(() -> CmaEsSampler.builder().seed(3).build()),
    NSGA2(() -> NsgaIISampler.builder().seed(3).populationSize(6).build()),
    AUTO(() -> AutoSampler.seeded(3));

    final Supplier<Sampler> sampler;

    ModelSampler(Supplier<Sampler> sampler) {
      this.sampler = sampler;
    }
  }

  @ParameterizedTest
  @EnumSource(ModelSampler.class)
  void modelBasedSamplersDoNotRepeatOnAnIntegerGrid(ModelSampler s) {
    // 5 x 5 integers, optimum at the corner (4, 4): without the guard every model here repeats it.
    SearchSpace grid =
        SearchSpace.builder()
            .add("a", IntDistribution.of(0, 4))
            .add("b", IntDistribution.of(0, 4))
            .build();
    ObjectiveFunction corner =
        ObjectiveFunction.scalar(
            t -> {
              long a = (Long) t.params().get("a");
              long b = (Long) t.params().get("b");
              return (a - 4) * (a - 4) + (b - 4) * (b - 4);
            });
    Study guarded = study(s.sampler.get(), grid, false);
    guarded.optimize(corner, OptimizeOptions.trials(22));
    assertEquals(22, distinct(guarded), s + " repeated a configuration");

    Study noisy = study(s.sampler.get(), grid, true);
    noisy.optimize(corner, OptimizeOptions.trials(22));
    assertTrue(distinct(noisy) < 22, s + " should repeat on its own, or this test proves nothing");
  }

  @Test
  void steppedFloatsAreComparedOnTheirGrid() {
    Map<String, Distribution> space =
        Map.of("x", FloatDistribution.stepped(0, 1, 0.1), "k", IntDistribution.of(1, 3));
    Map<String, Object> proposal = new LinkedHashMap<>();
    proposal.put("x", 0.1 + 0.2); // 0.30000000000000004: grid point 3
    proposal.put("k", 2L);
    RepeatGuard.Decision d =
        RepeatGuard.avoid(proposal, space, Map.of(4, Map.of("x", 0.3, "k", 2L)), 1);
    assertEquals(4, d.attributes().get(RepeatGuard.REPEAT_AVOIDED_ATTR));
    assertFalse(d.params().equals(proposal));
    assertTrue(space.get("x").contains(d.params().get("x")));
    assertTrue(space.get("k").contains(d.params().get("k")));
  }

  @Test
  void aProposalThatRepeatsNothingIsKeptAsItIs() {
    Map<String, Distribution> space = Map.of("x", FloatDistribution.of(0, 1));
    RepeatGuard.Decision d =
        RepeatGuard.avoid(Map.of("x", 0.5), space, Map.of(0, Map.of("x", 0.25)), 1);
    assertEquals(Map.of("x", 0.5), d.params());
    assertTrue(d.attributes().isEmpty());
  }

  @Test
  void aContinuousValueClippedToABoundIsMovedInsideTheRange() {
    FloatDistribution lr = FloatDistribution.logOf(1e-4, 1);
    Map<String, Distribution> space = Map.of("lr", lr);
    // A rounding error away from the bound is the same configuration.
    RepeatGuard.Decision d =
        RepeatGuard.avoid(Map.of("lr", 1.0), space, Map.of(7, Map.of("lr", 0.9999999999999999)), 5);
    assertEquals(7, d.attributes().get(RepeatGuard.REPEAT_AVOIDED_ATTR));
    double moved = (Double) d.params().get("lr");
    assertTrue(moved < 1.0 && moved > 0.5, "a local step inside the range, got " + moved);
  }

  @Test
  void aFullyTakenSpaceIsExhaustedAndTheLastFreeConfigurationIsFound() {
    Map<String, Distribution> space = Map.of("k", IntDistribution.of(1, 50));
    Map<Integer, Map<String, Object>> others = new LinkedHashMap<>();
    for (int k = 1; k <= 50; k++) {
      if (k != 17) {
        others.put(k, Map.of("k", (long) k));
      }
    }
    assertFalse(RepeatGuard.exhausted(space, others));
    RepeatGuard.Decision d = RepeatGuard.avoid(Map.of("k", 50L), space, others, 2);
    assertEquals(17L, d.params().get("k"));
    others.put(99, Map.of("k", 17L));
    assertTrue(RepeatGuard.exhausted(space, others));
  }

  @Test
  void aTrialWithOtherParametersIsAnotherConfiguration() {
    Map<String, Distribution> space = Map.of("k", IntDistribution.of(1, 3));
    RepeatGuard.Decision d =
        RepeatGuard.avoid(Map.of("k", 2L), space, Map.of(0, Map.of("k", 2L, "extra", 1.0)), 2);
    assertTrue(d.attributes().isEmpty());
  }

  @Test
  void trialsStartedByAskAlsoAvoidRepeats() {
    Study study = study(TpeSampler.builder().seed(4).startupTrials(2).build(), SMALL, false);
    Set<Map<String, Object>> seen = new HashSet<>();
    for (int i = 0; i < 18; i++) {
      Trial t = study.ask();
      assertTrue(seen.add(t.params()), "trial " + t.number() + " repeats " + t.params());
      study.tell(t, TrialResult.of(i % 3));
    }
    assertEquals(List.of(), study.trials(Set.of(TrialState.FAIL)));
  }
}
