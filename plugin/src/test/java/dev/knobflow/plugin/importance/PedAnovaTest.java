package dev.knobflow.plugin.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.samplers.RandomSampler;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class PedAnovaTest {

  private static Study randomStudy(
      int trials, long seed, Objective objective, ToDoubleFunction<Trial> f) {
    Study study =
        Study.builder("synthetic")
            .objectives(objective)
            .sampler(RandomSampler.seeded(seed))
            .build();
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      study.tell(t, TrialResult.of(f.applyAsDouble(t)));
    }
    return study;
  }

  private static double quadratic(Trial t) {
    double x1 = t.suggestFloat("x1", 0, 1);
    double x2 = t.suggestFloat("x2", 0, 1);
    t.suggestFloat("x3", 0, 1);
    return 10 * (x1 - 0.5) * (x1 - 0.5) + 0.5 * (x2 - 0.5) * (x2 - 0.5);
  }

  @Test
  void dominantParameterGetsMostImportanceAndIrrelevantOneAlmostNone() {
    Study study = randomStudy(500, 42, Objective.minimize("f"), PedAnovaTest::quadratic);
    Importances imp = PedAnova.defaults().evaluate(study.objectives(), 0, study.trials());
    assertEquals(500, imp.trials());
    assertEquals(List.of("x1", "x2", "x3"), List.copyOf(imp.byParam().keySet()));
    assertTrue(imp.of("x1") > 0.7, imp.toString());
    assertTrue(imp.of("x3") < 0.05, imp.toString());
    assertEquals(1.0, imp.byParam().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
  }

  @Test
  void maximisingTheNegatedFunctionGivesTheSameImportances() {
    Study min = randomStudy(300, 5, Objective.minimize("f"), PedAnovaTest::quadratic);
    Study max = randomStudy(300, 5, Objective.maximize("g"), t -> -quadratic(t));
    Importances a = PedAnova.defaults().evaluate(min.objectives(), 0, min.trials());
    Importances b = PedAnova.defaults().evaluate(max.objectives(), 0, max.trials());
    for (String p : List.of("x1", "x2", "x3")) {
      assertEquals(a.of(p), b.of(p), 1e-12, p);
    }
  }

  @Test
  void categoricalChoiceThatDecidesTheTopQuantileBeatsUnusedIntAndLogParameters() {
    Study study =
        randomStudy(
            400,
            11,
            Objective.maximize("acc"),
            t -> {
              String opt = t.suggestCategorical("optimizer", "sgd", "adam", "rmsprop", "adagrad");
              t.suggestFloat("lr", 1e-5, 1, true);
              t.suggestInt("batch", 16, 64);
              return opt.equals("adam") ? 1 : 0;
            });
    Importances imp = PedAnova.defaults().evaluate(study.objectives(), 0, study.trials());
    assertEquals("optimizer", imp.byParam().keySet().iterator().next(), imp.toString());
    assertTrue(imp.of("optimizer") > 0.8, imp.toString());
    assertTrue(imp.of("lr") < 0.1, imp.toString());
    assertTrue(imp.of("batch") < 0.1, imp.toString());
  }

  @Test
  void fewerThanTwoCompletedTrialsIsAClearError() {
    Study study = randomStudy(1, 1, Objective.minimize("f"), PedAnovaTest::quadratic);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PedAnova.defaults().evaluate(study.objectives(), 0, study.trials()));
    assertTrue(e.getMessage().contains("at least 2 completed trials, got 1"), e.getMessage());
  }

  @Test
  void gammaOutsideTheOpenUnitIntervalIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PedAnova.defaults().withGamma(1.0));
    assertTrue(e.getMessage().startsWith("gamma:"));
  }
}
