package dev.knobflow.optimizers.schedulers.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplorerTest {

  private static Explorer explorer(double resample) {
    return new Explorer(PbtSettings.builder(4, 1).resampleProbability(resample).build());
  }

  @Test
  void withoutResamplingAFloatIsMultipliedByOneOfTheTwoFactors() {
    Map<String, Distribution> d = Map.of("lr", FloatDistribution.logOf(1e-5, 1));
    Set<Double> seen = new HashSet<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      double v = (double) explorer(0).explore(Map.of("lr", 0.01), d, rng).get("lr");
      seen.add(Math.round(v * 1e9) / 1e9);
    }
    assertEquals(Set.of(0.008, 0.012), seen);
  }

  @Test
  void perturbedValuesStayInsideTheBoundsAndOnTheStepGrid() {
    Map<String, Distribution> d =
        Map.of("x", FloatDistribution.stepped(0, 1, 0.25), "n", IntDistribution.stepped(2, 20, 2));
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      Map<String, Object> out = explorer(0.25).explore(Map.of("x", 1.0, "n", 20L), d, rng);
      double x = (double) out.get("x");
      long n = ((Number) out.get("n")).longValue();
      assertTrue(d.get("x").contains(x), "x " + x);
      assertTrue(d.get("n").contains(n), "n " + n);
    }
  }

  @Test
  void anIntegerThatRoundingWouldLeaveUnchangedMovesOneStep() {
    Map<String, Distribution> d = Map.of("layers", IntDistribution.of(1, 10));
    SplittableRandom rng = new SplittableRandom(3);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(
          ((Number) explorer(0).explore(Map.of("layers", 2L), d, rng).get("layers")).longValue());
    }
    assertEquals(Set.of(1L, 3L), seen, "2 * 0.8 and 2 * 1.2 both round to 2");
  }

  @Test
  void categoricalsAreResampledWithTheResampleProbabilityAndOtherwiseKept() {
    Map<String, Distribution> d =
        Map.of("opt", CategoricalDistribution.of("sgd", "adam", "rmsprop"));
    SplittableRandom rng = new SplittableRandom(4);
    int changed = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      if (!"sgd".equals(explorer(0.3).explore(Map.of("opt", "sgd"), d, rng).get("opt"))) {
        changed++;
      }
    }
    // Resampled 30% of the time, landing on another choice 2/3 of those: 20% expected.
    assertEquals(0.2, changed / (double) n, 0.03);
    assertEquals("sgd", explorer(0).explore(Map.of("opt", "sgd"), d, rng).get("opt"));
  }

  @Test
  void resamplingDrawsFromTheWholeDistribution() {
    Map<String, Distribution> d = Map.of("x", FloatDistribution.of(0, 100));
    SplittableRandom rng = new SplittableRandom(5);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < 500; i++) {
      double x = (double) explorer(1).explore(Map.of("x", 50.0), d, rng).get("x");
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    assertTrue(min < 10 && max > 90, "resampled over [" + min + ", " + max + "]");
    assertNotEquals(min, max);
  }
}
