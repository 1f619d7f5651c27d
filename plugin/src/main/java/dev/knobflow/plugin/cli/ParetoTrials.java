package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto-optimal completed trials of stored trials, with the same rule and the same sorting as
 * {@code Study.paretoFront()} (feasible trials first, else the least violating), for commands that
 * read a storage without opening a {@code Study} (which would write the sampler attribute).
 */
final class ParetoTrials {

  private ParetoTrials() {}

  /**
   * The first front under constraint domination ({@link NonDominatedSorting#sort(double[][],
   * double[])}): the feasible non-dominated completed trials, or when none is feasible the trials
   * with the least total violation; in number order.
   */
  static List<FrozenTrial> front(List<FrozenTrial> trials, List<Objective> objectives) {
    List<FrozenTrial> completed =
        trials.stream()
            .filter(t -> t.state() == TrialState.COMPLETE)
            .sorted(Comparator.comparingInt(FrozenTrial::number))
            .toList();
    if (completed.isEmpty()) {
      return List.of();
    }
    double[][] points = new double[completed.size()][objectives.size()];
    double[] violations = new double[completed.size()];
    for (int i = 0; i < completed.size(); i++) {
      FrozenTrial t = completed.get(i);
      for (int j = 0; j < objectives.size(); j++) {
        points[i][j] = objectives.get(j).direction().toMinimization(t.values().get(j));
      }
      violations[i] = t.totalViolation();
    }
    List<FrozenTrial> front = new ArrayList<>();
    for (int index : NonDominatedSorting.sort(points, violations).paretoFront()) {
      front.add(completed.get(index));
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
}
