package dev.knobflow.optimizers;

import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps completed trials onto the Pareto machinery, with the one constraint-domination rule ({@link
 * dev.knobflow.optimizers.pareto.Dominance#constrainedDominates}).
 */
public final class ParetoFronts {

  private ParetoFronts() {}

  /**
   * The first front under constraint domination, in the order given: the feasible non-dominated
   * trials, or when none is feasible the non-dominated trials among those with the least total
   * violation.
   *
   * @param completed completed trials, each with a value per objective
   */
  public static List<FrozenTrial> of(List<FrozenTrial> completed, List<Objective> objectives) {
    if (completed.isEmpty()) {
      return List.of();
    }
    int m = objectives.size();
    double[][] points = new double[completed.size()][m];
    double[] violations = new double[completed.size()];
    for (int i = 0; i < completed.size(); i++) {
      FrozenTrial t = completed.get(i);
      for (int j = 0; j < m; j++) {
        points[i][j] = objectives.get(j).direction().toMinimization(t.values().get(j));
      }
      violations[i] = t.totalViolation();
    }
    int[] front = NonDominatedSorting.sort(points, violations).paretoFront();
    List<FrozenTrial> out = new ArrayList<>(front.length);
    for (int index : front) {
      out.add(completed.get(index));
    }
    return List.copyOf(out);
  }
}
