package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class PriorObservationTest {

  private static final double[] OPTIMUM = {3, -2, 1, -4};

  private static final SearchSpace SPACE =
      SearchSpace.builder()
          .add("x0", FloatDistribution.of(-5, 5))
          .add("x1", FloatDistribution.of(-5, 5))
          .add("x2", FloatDistribution.of(-5, 5))
          .add("x3", FloatDistribution.of(-5, 5))
          .build();

  private static double bowl(double... x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (x[i] - OPTIMUM[i]) * (x[i] - OPTIMUM[i]);
    }
    return s;
  }

  private static double bowl(Map<String, Object> params) {
    double[] x = new double[OPTIMUM.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((Number) params.get("x" + i)).doubleValue();
    }
    return bowl(x);
  }

  private static PriorObservation prior(double... x) {
    Map<String, Object> params = new LinkedHashMap<>();
    for (int i = 0; i < x.length; i++) {
      params.put("x" + i, x[i]);
    }
    return PriorObservation.of(params, bowl(x));
  }

  /** Three observations close to the optimum and five far from it, with their true values. */
  private static final List<PriorObservation> PRIORS =
      List.of(
          prior(3.2, -1.8, 1.1, -3.8),
          prior(2.8, -2.1, 0.8, -4.2),
          prior(3.1, -2.3, 1.3, -3.9),
          prior(-4, 4, 0, 0),
          prior(-3, -4, 4, 2),
          prior(4.5, 4.5, -4, 4),
          prior(-1, 1, -2, -1),
          prior(0, 0, 0, 0));

  private static final double NEAR = 2.0;

  /** Trials among the first five after the 10 start-up trials within sqrt(NEAR) of the optimum. */
  private static int nearOptimum(Sampler sampler) {
    Study study =
        Study.builder("priors")
            .objectives(Objective.minimize("f"))
            .space(SPACE)
            .sampler(sampler)
            .build();
    int near = 0;
    for (int i = 0; i < 15; i++) {
      Trial t = study.ask();
      double value = bowl(t.params());
      study.tell(t, TrialResult.of(value));
      if (i >= 10 && value < NEAR) {
        near++;
      }
    }
    assertEquals(15, study.trials().size(), "priors are never stored as trials");
    // Priors inform the model but are never results: the best trial is the best stored trial.
    double bestStored = study.trials().stream().mapToDouble(FrozenTrial::value).min().orElseThrow();
    assertEquals(bestStored, study.bestTrial().orElseThrow().value());
    return near;
  }

  @Test
  void aPriorBetterThanAnyPossibleTrialIsNeverTheBestTrial() {
    // The bowl's minimum is 0: a prior claiming -1 can only be reported if priors leak into trials.
    List<PriorObservation> priors = new ArrayList<>(PRIORS);
    priors.add(PriorObservation.of(PRIORS.get(0).params(), -1.0));
    Study study =
        Study.builder("leak")
            .objectives(Objective.minimize("f"))
            .space(SPACE)
            .sampler(TpeSampler.builder().seed(3).priorObservations(priors).build())
            .build();
    for (int i = 0; i < 12; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(bowl(t.params())));
    }
    assertEquals(12, study.trials().size());
    FrozenTrial best = study.bestTrial().orElseThrow();
    assertTrue(best.value() >= 0, "a prior became the best trial: " + best.value());
    assertEquals(
        study.trials().stream().mapToDouble(FrozenTrial::value).min().orElseThrow(), best.value());
  }

  private static int[] hitsOverSeeds(LongFunction<Sampler> sampler) {
    int[] hits = new int[8];
    for (int seed = 0; seed < hits.length; seed++) {
      hits[seed] = nearOptimum(sampler.apply(seed + 1));
    }
    return hits;
  }

  private static int sum(int[] values) {
    int s = 0;
    for (int v : values) {
      s += v;
    }
    return s;
  }

  @Test
  void tpeWithPriorsNearTheOptimumProposesNearItMoreOften() {
    int without = sum(hitsOverSeeds(seed -> TpeSampler.builder().seed(seed).build()));
    int with =
        sum(
            hitsOverSeeds(
                seed -> TpeSampler.builder().seed(seed).priorObservations(PRIORS).build()));
    System.out.println("TPE near-optimum proposals (of 40): without " + without + ", with " + with);
    assertTrue(with >= without + 8, "with priors " + with + ", without " + without);
  }

  @Test
  void gpWithPriorsNearTheOptimumProposesNearItMoreOften() {
    int without = sum(hitsOverSeeds(seed -> GpSampler.builder().seed(seed).build()));
    int with =
        sum(
            hitsOverSeeds(
                seed -> GpSampler.builder().seed(seed).priorObservations(PRIORS).build()));
    System.out.println("GP near-optimum proposals (of 40): without " + without + ", with " + with);
    assertTrue(with >= without + 8, "with priors " + with + ", without " + without);
  }

  @Test
  void autoSamplerHandsPriorsToItsDelegates() {
    AutoSampler auto = AutoSampler.builder().seed(1).priorObservations(PRIORS).build();
    assertEquals(PRIORS, auto.priors());
    assertTrue(auto.describe().contains("8 priors"), auto.describe());
    int with =
        sum(
            hitsOverSeeds(
                seed -> AutoSampler.builder().seed(seed).priorObservations(PRIORS).build()));
    int without = sum(hitsOverSeeds(seed -> AutoSampler.builder().seed(seed).build()));
    assertTrue(with >= without + 8, "with priors " + with + ", without " + without);
  }

  /**
   * As many priors as the samplers' 10 start-up trials: one near the optimum, nine spread far from
   * it (TPE's good set at 10 observations is the single best one, so neighbours of the best in the
   * bad set would cancel its pull).
   */
  private static final List<PriorObservation> TEN_PRIORS =
      List.of(
          prior(3.1, -2.1, 1.1, -3.9),
          prior(-4, 4, 0, 0),
          prior(-3, -4, 4, 2),
          prior(4.5, 4.5, -4, 4),
          prior(-1, 1, -2, -1),
          prior(0, 0, 0, 0),
          prior(1, 3, 3, 3),
          prior(-2, 2, -2, 2),
          prior(-4.5, -0.5, 4.5, 0.5),
          prior(2, 4, -4.5, 1));

  private static Map<String, Object> firstProposal(Sampler sampler) {
    Study study =
        Study.builder("first")
            .objectives(Objective.minimize("f"))
            .space(SPACE)
            .sampler(sampler)
            .build();
    return study.ask().params();
  }

  /**
   * Priors count toward the start-up trials: with as many priors as start-up trials, trial 0 comes
   * from the model, differs from a cold start with the same seed, and lands nearer the priors'
   * optimum (the bowl's minimum, where the three best priors sit) in most seeds.
   */
  @Test
  void enoughPriorsMakeTheModelProposeTrialZeroNearTheirOptimum() {
    Map<String, LongFunction<Sampler>> cold =
        Map.of(
            "tpe", seed -> TpeSampler.builder().seed(seed).build(),
            "gp", seed -> GpSampler.builder().seed(seed).build(),
            "auto", seed -> AutoSampler.builder().seed(seed).build());
    Map<String, LongFunction<Sampler>> warm =
        Map.of(
            "tpe",
            seed -> TpeSampler.builder().seed(seed).priorObservations(TEN_PRIORS).build(),
            "gp",
            seed -> GpSampler.builder().seed(seed).priorObservations(TEN_PRIORS).build(),
            "auto",
            seed -> AutoSampler.builder().seed(seed).priorObservations(TEN_PRIORS).build());
    for (String name : cold.keySet()) {
      int nearer = 0;
      double coldSum = 0;
      double warmSum = 0;
      for (long seed = 1; seed <= SEEDS; seed++) {
        Map<String, Object> c = firstProposal(cold.get(name).apply(seed));
        Map<String, Object> w = firstProposal(warm.get(name).apply(seed));
        assertTrue(!c.equals(w), name + " seed " + seed + ": trial 0 is the cold start's " + c);
        coldSum += bowl(c);
        warmSum += bowl(w);
        if (bowl(w) < bowl(c)) {
          nearer++;
        }
      }
      System.out.printf(
          "%s trial 0, mean squared distance to the optimum over %d seeds: cold %.1f, warm %.1f,"
              + " warm nearer in %d%n",
          name, SEEDS, coldSum / SEEDS, warmSum / SEEDS, nearer);
      // Measured: warm nearer in 25 (GP, auto) and 29 (TPE) of 30 seeds; mean squared distance
      // 59 -> 19 (GP) and 66 -> 11 (TPE).
      assertTrue(nearer >= 20, name + ": warm trial 0 nearer in only " + nearer + " of 30 seeds");
      assertTrue(warmSum < coldSum / 2, name + ": warm " + warmSum + ", cold " + coldSum);
    }
  }

  private static final int SEEDS = 30;

  /**
   * Two fitting priors are enough for the model to act at once (warm start's plan gives a few
   * configurations, fewer than the start-up trials); a single one leaves trial 0 to the start-up
   * design, as without priors.
   */
  @Test
  void twoOrMoreFittingPriorsLetTheModelActFromTrialZero() {
    List<PriorObservation> one = PRIORS.subList(0, 1);
    List<PriorObservation> two = PRIORS.subList(0, 2);
    for (long seed = 1; seed <= 3; seed++) {
      Map<String, Object> coldTpe = firstProposal(TpeSampler.builder().seed(seed).build());
      Map<String, Object> coldGp = firstProposal(GpSampler.builder().seed(seed).build());
      assertEquals(
          coldTpe, firstProposal(TpeSampler.builder().seed(seed).priorObservations(one).build()));
      assertEquals(
          coldGp, firstProposal(GpSampler.builder().seed(seed).priorObservations(one).build()));
      assertNotEquals(
          coldTpe, firstProposal(TpeSampler.builder().seed(seed).priorObservations(two).build()));
      assertNotEquals(
          coldGp, firstProposal(GpSampler.builder().seed(seed).priorObservations(two).build()));
    }
    assertTrue(PriorObservation.startupDone(0, 2, 10));
    assertFalse(PriorObservation.startupDone(8, 1, 10));
    assertTrue(PriorObservation.startupDone(9, 1, 10));
  }

  @Test
  void priorsWithUnknownParamsOutOfRangeValuesOrWrongValueCountsAreSkipped() {
    Map<String, Distribution> space = new LinkedHashMap<>();
    space.put("x", FloatDistribution.of(0, 1));
    space.put("n", IntDistribution.of(1, 4));
    space.put("act", CategoricalDistribution.of("relu", "tanh"));
    List<PriorObservation> priors = new ArrayList<>();
    priors.add(PriorObservation.of(Map.of("x", 0.5, "n", 2, "act", "relu"), 1.0)); // fits
    priors.add(PriorObservation.of(Map.of("x", 7.0, "n", 3, "unknown", 1), 2.0)); // x out
    priors.add(PriorObservation.of(Map.of("unknown", 1, "act", "gelu"), 3.0)); // nothing fits
    priors.add(PriorObservation.of(Map.of("x", 0.5), 1.0, 2.0)); // two values, one objective
    priors.add(PriorObservation.of(Map.of("x", 0.5), Double.NaN)); // not finite
    priors.add(PriorObservation.of(Map.of("n", 2.5), 1.0)); // not an int
    List<FrozenTrial> trials = PriorObservation.asTrials(priors, space, 1);
    assertEquals(2, trials.size());
    FrozenTrial full = trials.get(0);
    assertEquals(Map.of("x", 0.5, "n", 2, "act", "relu"), full.params());
    assertEquals(TrialState.COMPLETE, full.state());
    assertEquals(List.of(1.0), full.values());
    assertTrue(full.number() < 0, "priors are numbered before every real trial");
    FrozenTrial partial = trials.get(1);
    assertEquals(Map.of("n", 3), partial.params(), "out-of-range x and unknown param dropped");
    assertEquals(Map.of("n", space.get("n")), partial.distributions());
    assertTrue(trials.get(0).number() < partial.number());
  }

  @Test
  void priorsThatDoNotFitAreIgnoredBySamplers() {
    // Every prior is outside the space: the sampler proposes exactly what it does without priors.
    List<PriorObservation> misfits =
        List.of(
            PriorObservation.of(Map.of("x0", 50.0, "x1", 50.0, "x2", -9.0, "x3", 6.0), 0.0),
            PriorObservation.of(Map.of("z", 1.0), 0.0));
    for (long seed = 1; seed <= 2; seed++) {
      Study a = study(TpeSampler.builder().seed(seed).priorObservations(misfits).build());
      Study b = study(TpeSampler.builder().seed(seed).build());
      Study c = study(GpSampler.builder().seed(seed).priorObservations(misfits).build());
      Study d = study(GpSampler.builder().seed(seed).build());
      for (int i = 0; i < 13; i++) {
        assertEquals(a.trials().get(i).params(), b.trials().get(i).params());
        assertEquals(c.trials().get(i).params(), d.trials().get(i).params());
      }
    }
  }

  private static Study study(Sampler sampler) {
    Study study =
        Study.builder("misfit")
            .objectives(Objective.minimize("f"))
            .space(SPACE)
            .sampler(sampler)
            .build();
    for (int i = 0; i < 13; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(bowl(t.params())));
    }
    return study;
  }

  @Test
  void priorsAreCopiedAndCheckedForNull() {
    Map<String, Object> params = new LinkedHashMap<>(Map.of("x", 1.0));
    PriorObservation p = PriorObservation.of(params, 1.0);
    params.put("y", 2.0);
    assertEquals(Map.of("x", 1.0), p.params());
    assertThrows(NullPointerException.class, () -> new PriorObservation(null, List.of()));
    assertThrows(NullPointerException.class, () -> TpeSampler.builder().priorObservations(null));
  }
}
