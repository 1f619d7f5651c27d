package dev.knobflow.optimizers.samplers.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {

  private static double bestOfQuadratic(Sampler sampler) {
    Study study = Study.builder("quadratic").sampler(sampler).build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              double x = t.suggestFloat("x", -5, 5);
              double y = t.suggestFloat("y", -5, 5);
              return (x - 1.2) * (x - 1.2) + (y + 0.7) * (y + 0.7);
            }),
        OptimizeOptions.trials(60));
    return study.bestTrial().orElseThrow().value();
  }

  @Test
  void tpeBeatsRandomOnAQuadraticWithFixedSeeds() {
    double[] tpe = new double[7];
    double[] random = new double[7];
    for (int seed = 0; seed < 7; seed++) {
      tpe[seed] = bestOfQuadratic(TpeSampler.seeded(seed));
      random[seed] = bestOfQuadratic(RandomSampler.seeded(seed));
    }
    Arrays.sort(tpe);
    Arrays.sort(random);
    // Medians over 7 seeds; TPE must be at least 3x closer to the optimum than random search.
    assertTrue(tpe[3] * 3 < random[3], "TPE median " + tpe[3] + " vs random median " + random[3]);
  }

  @Test
  void multivariateAndGroupedTpeAlsoImproveOnRandom() {
    double[] mv = new double[5];
    double[] random = new double[5];
    for (int seed = 0; seed < 5; seed++) {
      mv[seed] = bestOfQuadratic(TpeSampler.builder().seed(seed).multivariate(true).build());
      random[seed] = bestOfQuadratic(RandomSampler.seeded(seed));
    }
    Arrays.sort(mv);
    Arrays.sort(random);
    assertTrue(mv[2] * 2 < random[2], "multivariate median " + mv[2] + " vs " + random[2]);
  }

  @Test
  void conditionalSpaceIsSampledByGroupsWithoutErrors() {
    Study study =
        Study.builder("conditional")
            .sampler(TpeSampler.builder().seed(3).group(true).build())
            .build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              String kind = (String) t.suggestCategorical("kind", List.of("a", "b"));
              if (kind.equals("a")) {
                double x = t.suggestFloat("ax", 0, 1);
                return x * x;
              }
              double y = t.suggestFloat("by", 0, 1);
              return 1 + y;
            }),
        OptimizeOptions.trials(40));
    long a =
        study.trials().stream().skip(20).filter(t -> "a".equals(t.params().get("kind"))).count();
    assertTrue(a >= 14, "the better branch dominates later trials, got " + a + "/20");
    assertTrue(study.bestTrial().orElseThrow().value() < 0.01);
  }

  @Test
  void groupDecompositionSplitsByCoOccurrence() {
    Map<String, Distribution> d = new LinkedHashMap<>();
    d.put("kind", CategoricalDistribution.of("a", "b"));
    d.put("ax", FloatDistribution.of(0, 1));
    d.put("by", FloatDistribution.of(0, 1));
    List<FrozenTrial> trials =
        List.of(
            TrialFixtures.trial(
                0, TrialState.COMPLETE, List.of(1.0), Map.of("kind", "a", "ax", 0.1), d),
            TrialFixtures.trial(
                1, TrialState.COMPLETE, List.of(1.0), Map.of("kind", "b", "by", 0.1), d));
    List<Map<String, Distribution>> groups = GroupDecomposition.of(trials);
    assertEquals(3, groups.size());
    assertTrue(groups.stream().anyMatch(g -> g.keySet().equals(java.util.Set.of("kind"))));
    assertTrue(groups.stream().anyMatch(g -> g.keySet().equals(java.util.Set.of("ax"))));
  }

  private static List<FrozenTrial> completedQuadraticTrials(Map<String, Distribution> d, int n) {
    List<FrozenTrial> trials = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < n; i++) {
      double x = r.nextDouble();
      trials.add(
          TrialFixtures.trial(
              i, TrialState.COMPLETE, List.of((x - 0.3) * (x - 0.3)), Map.of("x", x), d));
    }
    return trials;
  }

  @Test
  void constantLiarMovesProposalsAwayFromRunningTrials() {
    Map<String, Distribution> d = Map.of("x", FloatDistribution.of(0, 1));
    List<FrozenTrial> trials = completedQuadraticTrials(d, 20);
    FrozenTrial asking = TrialFixtures.trial(30, TrialState.RUNNING, List.of(), Map.of(), d);
    TpeSampler liar = TpeSampler.builder().seed(5).constantLiar(true).build();
    TpeSampler honest = TpeSampler.builder().seed(5).constantLiar(false).build();
    StudyView before = TrialFixtures.study(List.of(Objective.minimize("f")), trials);
    double proposal = (double) liar.sampleRelative(before, asking, d).params().get("x");
    assertEquals(proposal, (double) honest.sampleRelative(before, asking, d).params().get("x"));
    // Several other workers are now evaluating points right at that proposal.
    List<FrozenTrial> withRunning = new ArrayList<>(trials);
    for (int i = 0; i < 5; i++) {
      withRunning.add(
          TrialFixtures.trial(20 + i, TrialState.RUNNING, List.of(), Map.of("x", proposal), d));
    }
    StudyView during = TrialFixtures.study(List.of(Objective.minimize("f")), withRunning);
    double lied = (double) liar.sampleRelative(during, asking, d).params().get("x");
    double ignored = (double) honest.sampleRelative(during, asking, d).params().get("x");
    assertEquals(proposal, ignored, "without the liar, running trials change nothing");
    assertNotEquals(proposal, lied, "with the liar the proposal moves");
  }

  @Test
  void startupTrialsAreRandomAndProposalsAreDeterministic() {
    Map<String, Distribution> d = Map.of("x", FloatDistribution.of(0, 1));
    TpeSampler sampler = TpeSampler.seeded(9);
    FrozenTrial asking = TrialFixtures.trial(5, TrialState.RUNNING, List.of(), Map.of(), d);
    StudyView few =
        TrialFixtures.study(List.of(Objective.minimize("f")), completedQuadraticTrials(d, 5));
    assertTrue(
        sampler.sampleRelative(few, asking, d).params().isEmpty(), "random before 10 trials");
    StudyView many =
        TrialFixtures.study(List.of(Objective.minimize("f")), completedQuadraticTrials(d, 30));
    assertEquals(sampler.sampleRelative(many, asking, d), sampler.sampleRelative(many, asking, d));
  }

  @Test
  void univariateProposalSharesOneSplitAndStillEqualsEachParameterSampledOnItsOwn() {
    // sampleRelative reuses the good/bad split across parameters; sampleIndependent computes it
    // afresh for one parameter with the same seed stream, so both must propose the same values.
    for (int m = 1; m <= 2; m++) {
      int objectives = m;
      Study study =
          Study.builder("split-" + objectives)
              .objectives(
                  objectives == 1
                      ? List.of(Objective.minimize("f"))
                      : List.of(Objective.minimize("f"), Objective.minimize("g")))
              .sampler(RandomSampler.seeded(3))
              .build();
      study.optimize(
          t -> {
            double x = t.suggestFloat("x", -5, 5);
            long n = t.suggestInt("n", 1, 10);
            String c = t.suggestCategorical("c", List.of("a", "b", "c"));
            double lr = t.suggestFloat("lr", 1e-5, 1e-1, true);
            double f = x * x + n + (c.equals("b") ? 0 : 1) + Math.abs(Math.log10(lr) + 3);
            return dev.knobflow.optimizers.TrialResult.of(
                objectives == 1 ? new double[] {f} : new double[] {f, (x - 2) * (x - 2) - n});
          },
          OptimizeOptions.trials(80));
      TpeSampler tpe = TpeSampler.seeded(11);
      Map<String, Distribution> space = tpe.relativeSearchSpace(study, null);
      assertEquals(4, space.size());
      for (int number = 80; number < 84; number++) {
        FrozenTrial next =
            TrialFixtures.trial(number, TrialState.RUNNING, List.of(), Map.of(), Map.of());
        Map<String, Object> joint = tpe.sampleRelative(study, next, space).params();
        assertEquals(space.keySet(), joint.keySet());
        for (Map.Entry<String, Distribution> e : space.entrySet()) {
          assertEquals(
              tpe.sampleIndependent(study, next, e.getKey(), e.getValue()),
              joint.get(e.getKey()),
              e.getKey() + " of trial " + number + " with " + objectives + " objective(s)");
        }
      }
    }
  }
}
