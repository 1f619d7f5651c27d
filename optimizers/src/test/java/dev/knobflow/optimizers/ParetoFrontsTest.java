package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ParetoFrontsTest {

  private static final List<Objective> TWO =
      List.of(Objective.maximize("accuracy"), Objective.minimize("latency"));

  @Test
  void frontIsTakenAtTheHighestBudgetReachedOnly() {
    // At budget 10 trial 0 looks best on both objectives, but it is not comparable with budget 30.
    List<FrozenTrial> trials =
        List.of(
            trial(0, 10, Map.of("x", 1), 0.99, 1.0),
            trial(1, 10, Map.of("x", 2), 0.50, 2.0),
            trial(2, 30, Map.of("x", 3), 0.90, 5.0),
            trial(3, 30, Map.of("x", 4), 0.80, 3.0),
            trial(4, 30, Map.of("x", 5), 0.70, 9.0));

    assertEquals(List.of(2, 3), numbers(ParetoFronts.of(trials, TWO)));
  }

  @Test
  void aConfigurationPromotedOrRepeatedIsListedOnce() {
    List<FrozenTrial> trials =
        List.of(
            trial(0, 3, Map.of("lr", 0.1), 0.7, 1.0),
            trial(1, 9, Map.of("lr", 0.1), 0.8, 2.0),
            trial(2, 27, Map.of("lr", 0.1), 0.9, 4.0),
            // the same configuration again at the top budget, neither dominating the other
            trial(3, 27, Map.of("lr", 0.1), 0.95, 5.0),
            trial(4, 27, Map.of("lr", 0.2), 0.85, 3.0));

    assertEquals(List.of(2, 4), numbers(ParetoFronts.of(trials, TWO)));
  }

  @Test
  void perBudgetGivesOneFrontPerBudgetLowestFirst() {
    List<FrozenTrial> trials =
        List.of(
            trial(0, 10, Map.of("x", 1), 0.99, 1.0),
            trial(1, 10, Map.of("x", 2), 0.50, 2.0),
            trial(2, 30, Map.of("x", 3), 0.90, 5.0));

    SortedMap<Double, List<FrozenTrial>> fronts = ParetoFronts.perBudget(trials, TWO);

    assertEquals(List.of(10.0, 30.0), List.copyOf(fronts.keySet()));
    assertEquals(List.of(0), numbers(fronts.get(10.0)));
    assertEquals(List.of(2), numbers(fronts.get(30.0)));
  }

  @Test
  void withoutBudgetsEveryCompletedTrialCompetes() {
    List<FrozenTrial> trials =
        List.of(
            trial(0, Double.NaN, Map.of("x", 1), 0.9, 1.0),
            trial(1, Double.NaN, Map.of("x", 2), 0.5, 2.0));

    assertTrue(ParetoFronts.topBudget(trials).isEmpty());
    assertEquals(List.of(0), numbers(ParetoFronts.of(trials, TWO)));
  }

  private static List<Integer> numbers(List<FrozenTrial> trials) {
    return trials.stream().map(FrozenTrial::number).toList();
  }

  static FrozenTrial trial(int number, double budget, Map<String, Object> params, double... v) {
    return new FrozenTrial(
        number,
        TrialState.COMPLETE,
        java.util.Arrays.stream(v).boxed().toList(),
        params,
        Map.of(),
        new TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        budget,
        null,
        null,
        null,
        null);
  }
}
