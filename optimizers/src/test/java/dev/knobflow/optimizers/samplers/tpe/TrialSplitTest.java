package dev.knobflow.optimizers.samplers.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrialSplitTest {

  private static final Map<String, Distribution> D = Map.of("x", FloatDistribution.of(0, 1));

  private static FrozenTrial t(int number, double a, double b) {
    return TrialFixtures.trial(number, TrialState.COMPLETE, List.of(a, b), Map.of("x", 0.5), D);
  }

  private static Set<Integer> numbers(List<FrozenTrial> trials) {
    return trials.stream().map(FrozenTrial::number).collect(Collectors.toSet());
  }

  @Test
  void multiObjectiveSplitTakesWholeFrontsThenBreaksTiesByHypervolume() {
    List<FrozenTrial> trials = new ArrayList<>();
    trials.add(t(0, 0.0, 1.0)); // front 1
    trials.add(t(1, 0.5, 0.5)); // front 1, the largest contribution
    trials.add(t(2, 1.0, 0.0)); // front 1
    trials.add(t(3, 0.6, 0.6)); // front 2
    trials.add(t(4, 0.9, 0.9)); // front 3
    List<Objective> objectives = List.of(Objective.minimize("a"), Objective.minimize("b"));
    TrialSplit two = TrialSplit.of(trials, objectives, n -> 2, TpeWeights::defaultWeights);
    assertEquals(2, two.below().size());
    assertTrue(numbers(two.below()).contains(1), "the knee point is kept first");
    assertTrue(Set.of(0, 1, 2).containsAll(numbers(two.below())), "only front-1 trials");
    TrialSplit four = TrialSplit.of(trials, objectives, n -> 4, TpeWeights::defaultWeights);
    assertEquals(Set.of(0, 1, 2, 3), numbers(four.below()));
    assertEquals(Set.of(4), numbers(four.above()));
    // Below weights follow hypervolume contributions: the dominated front-2 point weighs ~0.
    double[] w = four.belowWeights();
    assertEquals(1.0, w[1], 1e-12, "trial 1 has the largest contribution");
    assertTrue(w[3] < 1e-9, "dominated point has (almost) no weight: " + w[3]);
  }

  @Test
  void maximisedObjectivesAreNormalisedToMinimisation() {
    List<FrozenTrial> trials = List.of(t(0, 1.0, 5.0), t(1, 2.0, 9.0), t(2, 3.0, 1.0));
    List<Objective> objectives = List.of(Objective.minimize("a"), Objective.maximize("b"));
    TrialSplit split = TrialSplit.of(trials, objectives, n -> 2, TpeWeights::defaultWeights);
    // (1,-5), (2,-9), (3,-1): trial 2 is dominated by trial 0, trials 0 and 1 form front 1.
    assertEquals(Set.of(0, 1), numbers(split.below()));
  }

  @Test
  void feasibleTrialsComeFirstAndRunningOnesAreAlwaysBad() {
    List<FrozenTrial> trials = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      trials.add(
          new FrozenTrial(
              i,
              TrialState.COMPLETE,
              List.of((double) i),
              Map.of("x", 0.5),
              D,
              new java.util.TreeMap<>(),
              List.of(i < 3 ? 1.0 : -1.0),
              Map.of(),
              Map.of(),
              Map.of(),
              Double.NaN,
              null,
              null,
              null,
              null));
    }
    trials.add(TrialFixtures.trial(10, TrialState.RUNNING, List.of(), Map.of("x", 0.1), D));
    TrialSplit split =
        TrialSplit.of(trials, List.of(Objective.minimize("f")), n -> 2, TpeWeights::defaultWeights);
    assertEquals(Set.of(3, 4), numbers(split.below()), "best feasible, not the infeasible 0..2");
    assertTrue(numbers(split.above()).contains(10));
  }

  @Test
  void defaultGammaAndWeightsMatchOptuna() {
    assertEquals(1, TpeWeights.defaultGamma(10));
    assertEquals(10, TpeWeights.defaultGamma(100));
    assertEquals(25, TpeWeights.defaultGamma(1000));
    double[] w = TpeWeights.defaultWeights(30);
    assertEquals(1.0 / 30, w[0], 1e-12);
    assertEquals(1.0, w[4], 1e-12);
    assertEquals(1.0, w[29], 1e-12);
    assertTrue(w[1] > w[0] && w[2] > w[1]);
  }
}
