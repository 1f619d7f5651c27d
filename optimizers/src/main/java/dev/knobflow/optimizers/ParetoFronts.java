package dev.knobflow.optimizers;

import java.util.ArrayList;
import java.util.List;

/** Non-dominated filtering of completed trials with constraint domination. */
final class ParetoFronts {

  private ParetoFronts() {}

  static List<FrozenTrial> of(List<FrozenTrial> completed, List<Objective> objectives) {
    List<FrozenTrial> candidates = completed.stream().filter(FrozenTrial::isFeasible).toList();
    if (candidates.isEmpty() && !completed.isEmpty()) {
      double least = completed.stream().mapToDouble(FrozenTrial::totalViolation).min().orElse(0);
      candidates = completed.stream().filter(t -> t.totalViolation() == least).toList();
    }
    int m = objectives.size();
    double[][] points = new double[candidates.size()][m];
    for (int i = 0; i < candidates.size(); i++) {
      for (int j = 0; j < m; j++) {
        points[i][j] =
            objectives.get(j).direction().toMinimization(candidates.get(i).values().get(j));
      }
    }
    List<FrozenTrial> front = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      boolean dominated = false;
      for (int k = 0; k < points.length && !dominated; k++) {
        dominated = k != i && dominates(points[k], points[i]);
      }
      if (!dominated) {
        front.add(candidates.get(i));
      }
    }
    return List.copyOf(front);
  }

  static boolean dominates(double[] a, double[] b) {
    boolean strictlyBetter = false;
    for (int j = 0; j < a.length; j++) {
      if (a[j] > b[j]) {
        return false;
      }
      if (a[j] < b[j]) {
        strictlyBetter = true;
      }
    }
    return strictlyBetter;
  }
}
