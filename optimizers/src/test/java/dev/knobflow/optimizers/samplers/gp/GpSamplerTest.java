package dev.knobflow.optimizers.samplers.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.Sampler;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GpSamplerTest {

  private static final SearchSpace SPACE =
      SearchSpace.builder()
          .add("x", FloatDistribution.of(-2, 2))
          .add("lr", FloatDistribution.logOf(1e-4, 1))
          .add("n", IntDistribution.of(1, 8))
          .add("act", CategoricalDistribution.of("relu", "tanh"))
          .build();

  private static Study study(GpSampler sampler, Objective... objectives) {
    return Study.builder("gp-test").objectives(objectives).space(SPACE).sampler(sampler).build();
  }

  private static double quality(Trial t) {
    double x = ((Number) t.params().get("x")).doubleValue();
    double lr = ((Number) t.params().get("lr")).doubleValue();
    long n = ((Number) t.params().get("n")).longValue();
    double act = "tanh".equals(t.params().get("act")) ? 0 : 0.5;
    return (x - 0.5) * (x - 0.5) + Math.pow(Math.log10(lr) + 2, 2) + 0.1 * Math.abs(n - 5) + act;
  }

  private static Study run(GpSampler sampler, int trials, ToDoubleFunction<Trial> f) {
    Study study = study(sampler, Objective.minimize("f"));
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(f.applyAsDouble(t)));
    }
    return study;
  }

  /**
   * A stored hyperparameter vector is the fitted model's: {@code d} log length scales, the log
   * signal and noise variances, all finite, and moved away from the default start by the fit.
   */
  private static void assertFittedTheta(Object stored, String what) {
    assertTrue(stored instanceof List<?>, what + ": a list of numbers, got " + stored);
    List<?> theta = (List<?>) stored;
    int d = theta.size() - 2;
    assertTrue(d >= 1, what + ": d + 2 entries, got " + theta);
    double[] start = GaussianProcess.defaultTheta(d);
    boolean fitted = false;
    for (int j = 0; j < theta.size(); j++) {
      double v = ((Number) theta.get(j)).doubleValue();
      assertTrue(Double.isFinite(v), what + ": finite, got " + theta);
      fitted |= v != start[j];
    }
    assertTrue(fitted, what + ": fitted, not the default start " + theta);
  }

  @Test
  void findsTheOptimumOfAMixedSpaceAndStoresHyperparameters() {
    Study study = run(GpSampler.seeded(1), 30, GpSamplerTest::quality);
    double best = study.bestTrial().orElseThrow().value();
    assertTrue(best < 0.15, "best after 30 trials: " + best);
    FrozenTrial last = study.trials().get(29);
    assertFittedTheta(last.systemAttrs().get("gp_theta_obj0"), "objective 0");
    assertNull(last.systemAttrs().get(Sampler.FALLBACK_ATTR));
    for (FrozenTrial t : study.trials()) {
      for (var e : SPACE.distributions().entrySet()) {
        assertTrue(e.getValue().contains(t.params().get(e.getKey())), "in bounds: " + t.params());
      }
    }
  }

  @Test
  void sameSeedGivesSameProposals() {
    Study a = run(GpSampler.seeded(4), 14, GpSamplerTest::quality);
    Study b = run(GpSampler.seeded(4), 14, GpSamplerTest::quality);
    for (int i = 0; i < 14; i++) {
      assertEquals(a.trials().get(i).params(), b.trials().get(i).params());
    }
  }

  @Test
  void constantObjectiveFallsBackToRandomWithAReason() {
    Study study = run(GpSampler.seeded(2), 13, t -> 1.0);
    FrozenTrial last = study.trials().get(12);
    assertEquals(TrialState.COMPLETE, last.state());
    assertTrue(
        String.valueOf(last.systemAttrs().get(Sampler.FALLBACK_ATTR)).contains("equal"),
        "reason stored: " + last.systemAttrs());
  }

  @Test
  void infiniteValuesFailTheirTrialAndTheModelKeepsWorkingOnTheRest() {
    // Non-finite values never reach storage (the trial fails naming the value), so the GP models
    // the finite trials and needs no fallback.
    for (double infinite : new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}) {
      Study study = run(GpSampler.seeded(3), 12, t -> t.number() == 3 ? infinite : quality(t));
      assertEquals(TrialState.FAIL, study.trials().get(3).state());
      assertTrue(study.trials().get(3).failReason().contains("Infinity"));
      assertNull(study.trials().get(11).systemAttrs().get(Sampler.FALLBACK_ATTR));
      assertNotNull(study.trials().get(11).systemAttrs().get("gp_theta_obj0"));
    }
  }

  @Test
  void identicalParametersFallBackToRandom() {
    Study study = study(GpSampler.seeded(5), Objective.minimize("f"));
    Map<String, Object> fixed = Map.of("x", 0.0, "lr", 0.01, "n", 3L, "act", "relu");
    for (int i = 0; i < 10; i++) {
      study.enqueue(fixed);
    }
    for (int i = 0; i < 11; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(quality(t) + 0.01 * i));
    }
    FrozenTrial last = study.trials().get(10);
    assertTrue(
        String.valueOf(last.systemAttrs().get(Sampler.FALLBACK_ATTR)).contains("same parameters"),
        "reason stored: " + last.systemAttrs());
  }

  @Test
  void pendingTrialsChangeTheProposal() {
    Study study = run(GpSampler.seeded(6), 15, GpSamplerTest::quality);
    Trial first = study.ask(); // stays RUNNING: the next proposal must account for it
    Trial second = study.ask();
    assertTrue(
        !first.params().equals(second.params()), "a second worker does not repeat the first");
  }

  @Test
  void multiObjectiveAndConstrainedStudiesRun() {
    Study study = study(GpSampler.seeded(7), Objective.minimize("a"), Objective.minimize("b"));
    for (int i = 0; i < 16; i++) {
      Trial t = study.ask();
      double x = ((Number) t.params().get("x")).doubleValue();
      study.tell(t, TrialResult.of(x * x, (x - 1) * (x - 1)).withConstraints(x - 1.5));
    }
    FrozenTrial last = study.trials().get(15);
    assertFittedTheta(last.systemAttrs().get("gp_theta_obj0"), "objective 0");
    assertFittedTheta(last.systemAttrs().get("gp_theta_obj1"), "one GP per objective");
    assertFittedTheta(last.systemAttrs().get("gp_theta_con0"), "one GP per constraint");
    assertNotEquals(
        last.systemAttrs().get("gp_theta_obj0"),
        last.systemAttrs().get("gp_theta_obj1"),
        "each objective's GP is fitted to its own values");
    assertNull(last.systemAttrs().get(Sampler.FALLBACK_ATTR));
    Study many =
        study(
            GpSampler.seeded(8),
            Objective.minimize("a"),
            Objective.minimize("b"),
            Objective.minimize("c"),
            Objective.maximize("d"));
    for (int i = 0; i < 12; i++) {
      Trial t = many.ask();
      double x = ((Number) t.params().get("x")).doubleValue();
      many.tell(t, TrialResult.of(x, -x, x * x, Math.sin(x)));
    }
    assertFittedTheta(
        many.trials().get(11).systemAttrs().get("gp_theta_parego"), "ParEGO beyond 3");
    assertNull(many.trials().get(11).systemAttrs().get("gp_theta_obj0"), "no per-objective GPs");
  }

  @Test
  void parEgoScalarisationIsARandomChebyshevOfNormalisedObjectives() {
    double[][] losses = {{0, 10}, {1, 0}, {0.5, 5}};
    double[] s = LossTransforms.parego(losses, new java.util.SplittableRandom(1));
    assertEquals(3, s.length);
    for (double v : s) {
      assertTrue(v >= 0 && v <= 1.05 + 1e-12, "normalised scalar in [0, 1.05]: " + v);
    }
  }

  @Test
  void findsBraninsOptimumClosely() {
    SearchSpace space =
        SearchSpace.builder()
            .add("x", FloatDistribution.of(-5, 10))
            .add("y", FloatDistribution.of(0, 15))
            .build();
    Study study =
        Study.builder("branin")
            .objectives(Objective.minimize("f"))
            .space(space)
            .sampler(GpSampler.seeded(3))
            .build();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 40; i++) {
      Trial t = study.ask();
      double x = ((Number) t.params().get("x")).doubleValue();
      double y = ((Number) t.params().get("y")).doubleValue();
      double b = 5.1 / (4 * Math.PI * Math.PI);
      double c = 5 / Math.PI;
      double v =
          Math.pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
      best = Math.min(best, v);
      study.tell(t, TrialResult.of(v));
    }
    // Global minimum 0.397887; 40 random trials typically end about 0.5 above it.
    assertTrue(best - 0.397887 < 1e-3, "regret after 40 trials: " + (best - 0.397887));
  }

  @Test
  void heavyTailedLossesAreLogCompressedKeepingTheirOrderAndOthersStay() {
    double[] heavy = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1e6};
    double[] warped = LossTransforms.tailWarped(heavy);
    for (int i = 1; i < heavy.length; i++) {
      assertTrue(warped[i] > warped[i - 1], "order kept at " + i);
    }
    // The huge value is now a few units above the rest instead of 1e6.
    assertTrue(warped[9] - warped[8] < 15, "tail compressed: " + warped[9]);
    assertEquals(Math.log(5), warped[0], 1e-12, "log(y - min + (median - min)) at the minimum");
    double[] symmetric = {-3, -2, -1, 0, 1, 2, 3};
    assertTrue(LossTransforms.tailWarped(symmetric) == symmetric, "no tail, no warp");
    double[] goodTail = {-1e6, 1, 2, 3, 4, 5};
    assertTrue(LossTransforms.tailWarped(goodTail) == goodTail, "a tail of good values is kept");
  }

  @Test
  void findsRosenbrocksValleyDespiteValuesSpanningOrdersOfMagnitude() {
    SearchSpace.Builder builder = SearchSpace.builder();
    for (int i = 0; i < 4; i++) {
      builder.add("x" + i, FloatDistribution.of(-5, 10));
    }
    Study study =
        Study.builder("rosenbrock")
            .objectives(Objective.minimize("f"))
            .space(builder.build())
            .sampler(GpSampler.seeded(2))
            .build();
    double best = Double.POSITIVE_INFINITY;
    for (int t = 0; t < 60; t++) {
      Trial trial = study.ask();
      double[] x = new double[4];
      for (int i = 0; i < 4; i++) {
        x[i] = ((Number) trial.params().get("x" + i)).doubleValue();
      }
      double v = 0;
      for (int i = 0; i < 3; i++) {
        v += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
      }
      best = Math.min(best, v);
      study.tell(trial, TrialResult.of(v));
    }
    // Random search ends in the thousands; without the tail warp this seed ends near 38.
    assertTrue(best < 5, "best after 60 trials: " + best);
  }

  @Test
  void lateInAStudyHyperparametersAreRefittedLessOftenAndTheSearchIsSmaller() {
    // Every n / 25 trials up to 100 points, (n / 50)^2 beyond: continuous at 100, 16 at 200.
    assertEquals(1, GpSampler.refitInterval(10, 1));
    assertEquals(2, GpSampler.refitInterval(50, 1));
    assertEquals(4, GpSampler.refitInterval(100, 1));
    assertEquals(4, GpSampler.refitInterval(101, 1));
    assertEquals(9, GpSampler.refitInterval(150, 1));
    assertEquals(16, GpSampler.refitInterval(200, 1));
    // Several models (3 objectives, or objectives and constraints): late refits are spaced by the
    // model count so the refitting cost per trial stays that of one model; early ones are not.
    assertEquals(2, GpSampler.refitInterval(50, 3));
    assertEquals(4, GpSampler.refitInterval(100, 3));
    assertEquals(27, GpSampler.refitInterval(150, 3));
    assertEquals(48, GpSampler.refitInterval(200, 3));
    AcquisitionOptimizer optimizer = new AcquisitionOptimizer(512);
    assertEquals(512, optimizer.globalCandidates(99));
    assertEquals(256, optimizer.globalCandidates(100));
    assertEquals(8, AcquisitionOptimizer.localSearches(99));
    assertEquals(5, AcquisitionOptimizer.localSearches(100));
  }

  @Test
  void threeObjectiveEhviUsesTheFrontsNadirAsReferenceAndTwoObjectivesTheFarOne() {
    // A front on the plane f1 + f2 (+ f3) = 1 and one far, dominated observation.
    double[][] observed3 = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {0.4, 0.3, 0.3}, {5, 5, 5}};
    boolean[] feasible = {true, true, true, true, true};
    double tiny = 1e-9;
    AcquisitionSurface.Output three = MultiObjectiveFront.hypervolumeOutput(3, observed3, feasible);
    // Beyond the nadir (1, 1, 1) in f3 but better than everything in f1 and f2: no improvement
    // inside the nadir box, while the far reference (5.5) would credit it.
    double beyond = three.value(new double[] {-0.5, -0.5, 2}, new double[] {tiny, tiny, tiny});
    assertTrue(beyond < -1000, "no chance of improvement (log EHVI): " + beyond);
    double inside = three.value(new double[] {0.1, 0.1, 0.1}, new double[] {tiny, tiny, tiny});
    assertTrue(inside > -20, "a point filling the front improves: " + inside);
    double[][] observed2 = {{0, 1}, {1, 0}, {0.5, 0.5}, {5, 5}};
    AcquisitionSurface.Output two =
        MultiObjectiveFront.hypervolumeOutput(2, observed2, new boolean[] {true, true, true, true});
    double beyond2 = two.value(new double[] {-0.5, 2}, new double[] {tiny, tiny});
    assertTrue(beyond2 > -20, "2 objectives keep the far reference: " + beyond2);
  }

  @Test
  void aThreeObjectiveStudyRefitsItsModelsAThirdAsOftenLateAndStillConvergesOnTheFront() {
    // DTLZ2 in 4 variables: the front is the unit sphere's octant, reached at x2 = x3 = 0.5.
    SearchSpace space =
        SearchSpace.builder()
            .add("x0", FloatDistribution.of(0, 1))
            .add("x1", FloatDistribution.of(0, 1))
            .add("x2", FloatDistribution.of(0, 1))
            .add("x3", FloatDistribution.of(0, 1))
            .build();
    Study study =
        Study.builder("gp-dtlz2")
            .objectives(
                Objective.minimize("f1"), Objective.minimize("f2"), Objective.minimize("f3"))
            .space(space)
            .sampler(GpSampler.seeded(5))
            .build();
    int trials = 125;
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = ((Number) t.params().get("x" + j)).doubleValue();
      }
      double g = Math.pow(x[2] - 0.5, 2) + Math.pow(x[3] - 0.5, 2);
      double a = x[0] * Math.PI / 2;
      double b = x[1] * Math.PI / 2;
      study.tell(
          t,
          TrialResult.of(
              (1 + g) * Math.cos(a) * Math.cos(b),
              (1 + g) * Math.cos(a) * Math.sin(b),
              (1 + g) * Math.sin(a)));
    }
    List<FrozenTrial> done = study.trials();
    int refits = 0;
    int late = 0;
    for (int i = 101; i < trials; i++) {
      Object before = done.get(i - 1).systemAttrs().get("gp_theta_obj0");
      Object now = done.get(i).systemAttrs().get("gp_theta_obj0");
      assertNotNull(now, "trial " + i + " has hyperparameters");
      if (!now.equals(before)) {
        refits++;
        assertEquals(0, i % GpSampler.refitInterval(i, 3), "refit at trial " + i);
      }
      double norm = 0;
      for (double v : done.get(i).values()) {
        norm += v * v;
      }
      if (Math.sqrt(norm) < 1.01) {
        late++;
      }
    }
    // One model alone would refit every 4 to 6 trials here (5 times), three models every 12 to 18.
    assertTrue(refits >= 1 && refits <= 2, "refits in trials 101-124: " + refits);
    assertTrue(late >= 12, "late trials within 1% of the front: " + late + " of 24");
  }
}
