package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto-optimal completed trials of stored trials, with the same rule as {@code
 * Study.paretoFront()} (feasible trials first, else the least violating), for commands that read a
 * storage without opening a {@code Study} (which would write the sampler attribute).
 */
final class ParetoTrials {

  private ParetoTrials() {}

  /** The non-dominated completed trials, in number order. */
  static List<FrozenTrial> front(List<FrozenTrial> trials, List<Objective> objectives) {
    List<FrozenTrial> completed =
        trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
    List<FrozenTrial> candidates = completed.stream().filter(FrozenTrial::isFeasible).toList();
    if (candidates.isEmpty() && !completed.isEmpty()) {
      double least = completed.stream().mapToDouble(FrozenTrial::totalViolation).min().orElse(0);
      candidates = completed.stream().filter(t -> t.totalViolation() == least).toList();
    }
    List<FrozenTrial> front = new ArrayList<>();
    for (FrozenTrial a : candidates) {
      boolean dominated = false;
      for (FrozenTrial b : candidates) {
        if (b != a && dominates(b, a, objectives)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.add(a);
      }
    }
    return List.copyOf(front);
  }

  /** The front sorted by the first objective, best first. */
  static List<FrozenTrial> sortedByFirstObjective(
      List<FrozenTrial> front, List<Objective> objectives) {
    Objective first = objectives.get(0);
    return front.stream()
        .sorted(
            Comparator.comparingDouble(
                (FrozenTrial t) -> first.direction().toMinimization(t.values().get(0))))
        .toList();
  }

  private static boolean dominates(FrozenTrial a, FrozenTrial b, List<Objective> objectives) {
    boolean strictly = false;
    for (int j = 0; j < objectives.size(); j++) {
      double x = objectives.get(j).direction().toMinimization(a.values().get(j));
      double y = objectives.get(j).direction().toMinimization(b.values().get(j));
      if (x > y) {
        return false;
      }
      if (x < y) {
        strictly = true;
      }
    }
    return strictly;
  }
}
