package dev.knobflow.optimizers.schedulers.hyperband;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.pareto.CrowdingDistance;
import dev.knobflow.optimizers.pareto.Fronts;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the finished trials of a rung from best to worst, the order in which successive halving
 * promotes them.
 *
 * <p>Single objective: by value in the objective's direction. Several objectives: by non-dominated
 * rank (constraint-domination when trials report constraints: feasible first, then less total
 * violation), then within a front by crowding distance, larger first, so the spread of the front
 * survives; boundary points (infinite distance) come first. Ties go to the lower trial number.
 * Trials without values (FAIL, or pruned before any report) come last.
 */
public final class RungRanking {

  private RungRanking() {}

  /** {@code trials} ordered best first. */
  public static List<FrozenTrial> order(List<FrozenTrial> trials, List<Objective> objectives) {
    int m = objectives.size();
    List<FrozenTrial> valued = new ArrayList<>();
    List<FrozenTrial> unvalued = new ArrayList<>();
    for (FrozenTrial t : trials) {
      if (t.state() != TrialState.FAIL && t.values().size() == m && allNumbers(t)) {
        valued.add(t);
      } else {
        unvalued.add(t);
      }
    }
    unvalued.sort(Comparator.comparingInt(FrozenTrial::number));
    List<FrozenTrial> ordered =
        m == 1 ? singleObjective(valued, objectives.get(0)) : multiObjective(valued, objectives);
    List<FrozenTrial> out = new ArrayList<>(ordered);
    out.addAll(unvalued);
    return out;
  }

  private static boolean allNumbers(FrozenTrial t) {
    for (double v : t.values()) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  private static List<FrozenTrial> singleObjective(List<FrozenTrial> trials, Objective objective) {
    List<FrozenTrial> out = new ArrayList<>(trials);
    out.sort(
        Comparator.comparing(FrozenTrial::isFeasible)
            .reversed()
            .thenComparingDouble(FrozenTrial::totalViolation)
            .thenComparingDouble(t -> objective.direction().toMinimization(t.values().get(0)))
            .thenComparingInt(FrozenTrial::number));
    return out;
  }

  private static List<FrozenTrial> multiObjective(
      List<FrozenTrial> trials, List<Objective> objectives) {
    int n = trials.size();
    int m = objectives.size();
    double[][] points = new double[n][m];
    double[] violations = new double[n];
    for (int i = 0; i < n; i++) {
      FrozenTrial t = trials.get(i);
      for (int j = 0; j < m; j++) {
        points[i][j] = objectives.get(j).direction().toMinimization(t.values().get(j));
      }
      violations[i] = t.totalViolation();
    }
    List<FrozenTrial> out = new ArrayList<>(n);
    if (n == 0) {
      return out;
    }
    Fronts fronts = NonDominatedSorting.sort(points, violations);
    for (int k = 0; k < fronts.frontCount(); k++) {
      int[] front = fronts.front(k);
      double[] crowding = CrowdingDistance.compute(points, front);
      Integer[] order = new Integer[front.length];
      for (int t = 0; t < front.length; t++) {
        order[t] = t;
      }
      java.util.Arrays.sort(
          order,
          Comparator.<Integer>comparingDouble(t -> -crowding[t])
              .thenComparingInt(t -> trials.get(front[t]).number()));
      for (Integer t : order) {
        out.add(trials.get(front[t]));
      }
    }
    return out;
  }
}
