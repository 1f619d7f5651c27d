package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceOverridesTest {

  private static SpaceOverride range(String param, double low, double high) {
    return new SpaceOverride(param, low, high, Map.of("by", "test"));
  }

  @Test
  void narrowingKeepsLogScaleAndStaysOnTheOriginalGrid() {
    Distribution log = range("lr", 0.001, 0.05).narrow(FloatDistribution.logOf(1e-4, 1)).get();
    assertEquals(new FloatDistribution(0.001, 0.05, true, 0), log);

    Distribution stepped =
        range("x", 0.13, 0.77).narrow(FloatDistribution.stepped(0, 1, 0.25)).get();
    assertEquals(FloatDistribution.stepped(0.25, 0.75, 0.25), stepped);

    Distribution ints = range("n", 3.5, 17.2).narrow(new IntDistribution(0, 20, false, 2)).get();
    assertEquals(new IntDistribution(4, 16, false, 2), ints);
  }

  @Test
  void narrowingThatLeavesNothingOrTouchesACategoricalDoesNotApply() {
    assertTrue(range("n", 4.2, 4.8).narrow(new IntDistribution(0, 10, false, 1)).isEmpty());
    assertTrue(range("c", 0, 1).narrow(CategoricalDistribution.of("a", "b")).isEmpty());
    FloatDistribution original = FloatDistribution.of(0, 1);
    SpaceOverrides overrides = SpaceOverrides.none().with(range("x", 2, 3));
    assertSame(original, overrides.narrow("x", original));
  }

  @Test
  void mergingIntersectsAndANonOverlappingRangeReplaces() {
    SpaceOverrides o = SpaceOverrides.none().with(range("lr", 0, 0.1)).with(range("lr", 0.01, 1));
    assertEquals(0.01, o.get("lr").get().low());
    assertEquals(0.1, o.get("lr").get().high());
    o = o.with(range("lr", 0.5, 0.9));
    assertEquals(0.5, o.get("lr").get().low());
    assertEquals(0.9, o.get("lr").get().high());
  }

  @Test
  void everySamplerDrawsInsideTheOverrideAndRecordsTheOriginalDistribution() {
    for (Sampler sampler : List.of(RandomSampler.seeded(3), SobolSampler.seeded(3))) {
      FloatDistribution lr = FloatDistribution.logOf(1e-5, 1);
      Study study =
          Study.builder("capped-" + sampler.describe())
              .sampler(sampler)
              .space(SearchSpace.builder().add("lr", lr).intParam("depth", 1, 10).build())
              .build();
      study.optimize(t -> TrialResult.of(t.params().size()), OptimizeOptions.trials(20));
      SpaceOverride cap = study.overrideRange("lr", 0, 1e-3, Map.of("trial", 0));
      assertEquals(0.0, cap.low(), "stored as asked; narrow() clamps to the declared low");
      study.optimize(t -> TrialResult.of(1.0), OptimizeOptions.trials(60));
      List<FrozenTrial> trials = study.trials();
      long before = trials.subList(0, 20).stream().filter(t -> lrOf(t) > 1e-3).count();
      assertTrue(before > 5, sampler.describe() + ": the cap must matter, " + before);
      for (FrozenTrial t : trials.subList(20, 80)) {
        assertTrue(lrOf(t) <= 1e-3, sampler.describe() + " trial " + t.number() + ": " + lrOf(t));
        assertEquals(lr, t.distributions().get("lr"), "the recorded distribution is unchanged");
      }
      // Spread over the narrowed range, not piled on the bound.
      long lowerHalf = trials.subList(20, 80).stream().filter(t -> lrOf(t) < 1e-4).count();
      assertTrue(lowerHalf > 15 && lowerHalf < 45, sampler.describe() + ": " + lowerHalf);
    }
  }

  @Test
  void overridesAndTheirCauseSurviveAJournalReopen(@TempDir Path dir) {
    Path journal = dir.resolve("j.jsonl");
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study study =
          Study.builder("resume").storage(storage).sampler(RandomSampler.seeded(1)).build();
      study.overrideRange("lr", 1e-4, 0.01, Map.of("trial", 3, "diagnosis", "DIVERGING"));
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study study =
          Study.builder("resume").storage(storage).sampler(RandomSampler.seeded(1)).build();
      SpaceOverride o = study.spaceOverrides().get("lr").orElseThrow();
      assertEquals(0.01, o.high());
      assertEquals("DIVERGING", o.cause().get("diagnosis"));
      assertEquals(3, ((Number) o.cause().get("trial")).intValue());
      study.optimize(
          t -> TrialResult.of(t.suggestFloat("lr", 1e-5, 1, true)), OptimizeOptions.trials(10));
      assertTrue(study.trials().stream().allMatch(t -> lrOf(t) <= 0.01));
    }
  }

  @Test
  void aPruneRequestMakesShouldPruneTrueAndEndsUpInTheReason() {
    Study study = Study.builder("prune").sampler(RandomSampler.seeded(1)).build();
    study.optimize(
        t -> {
          for (int step = 0; step < 10; step++) {
            t.report(step, step);
            if (step == 0) {
              assertFalse(t.shouldPrune());
            }
            if (step == 2) {
              study.requestPrune(t.number(), "advisor: diverging");
            }
            if (t.shouldPrune()) {
              throw new TrialPrunedException("pruned at step " + step);
            }
          }
          return TrialResult.of(0);
        },
        OptimizeOptions.trials(1));
    FrozenTrial t = study.trials(Set.of(TrialState.PRUNED)).get(0);
    assertEquals("pruned at step 2: advisor: diverging", t.failReason());
    assertEquals(List.of(2.0), t.values());
  }

  @Test
  void aMergedNarrowingIsWidenedJustEnoughToKeepTheGivenValues() {
    SpaceOverrides existing =
        SpaceOverrides.none().with(new SpaceOverride("lr", 0.001, 1.0, Map.of()));
    SpaceOverride asked = new SpaceOverride("lr", 0.2, 0.5, Map.of("trial", 4));
    assertEquals(0.2, existing.with(asked, List.of()).get("lr").orElseThrow().low());
    SpaceOverride kept = existing.with(asked, List.of(0.05, 0.3)).get("lr").orElseThrow();
    assertEquals(0.05, kept.low(), "down to the best trial's value, no further");
    assertEquals(0.5, kept.high());
    assertEquals(4, kept.cause().get("trial"));
    SpaceOverride edge = existing.with(asked, List.of(1.0)).get("lr").orElseThrow();
    assertEquals(1.0, edge.high(), "a value at the edge of the range");
  }

  private static double lrOf(FrozenTrial t) {
    return ((Number) t.params().get("lr")).doubleValue();
  }
}
