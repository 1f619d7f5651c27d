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
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Orders the finished trials of a rung from best to worst, the order in which successive halving
 * promotes them.
 *
 * <p><b>All objectives</b> ({@link #allObjectives()}, the default). Single objective: by value in
 * the objective's direction. Several objectives: by non-dominated rank (constraint-domination when
 * trials report constraints: feasible first, then less total violation), then within a front by
 * crowding distance, larger first, so the spread of the front survives; boundary points (infinite
 * distance) come first.
 *
 * <p><b>One objective</b> ({@link #byObjective(String)}, {@link #byObjective(int)}): by that
 * objective's value in its direction, the others ignored, as a single-objective pruner would (what
 * Optuna and Ray Tune do with several objectives): feasible first, then less total violation, then
 * the value. The objective is checked against the study's objectives when the ranking is first used
 * ({@link #resolve}).
 *
 * <p>Either way ties go to the lower trial number, and trials without values (FAIL, or pruned
 * before any report) come last. Instances are immutable.
 */
public final class RungRanking {

  private static final RungRanking ALL_OBJECTIVES = new RungRanking(null, -1);

  /** The objective's name, or null when ranking by index or by all objectives. */
  private final @Nullable String objectiveName;

  /** The objective's index, or -1 when ranking by name or by all objectives. */
  private final int objectiveIndex;

  private RungRanking(@Nullable String objectiveName, int objectiveIndex) {
    this.objectiveName = objectiveName;
    this.objectiveIndex = objectiveIndex;
  }

  /** Ranking by all objectives: by value for one, by Pareto rank and crowding for several. */
  public static RungRanking allObjectives() {
    return ALL_OBJECTIVES;
  }

  /**
   * Ranking by the objective named {@code name} alone, in its direction.
   *
   * @throws IllegalArgumentException if {@code name} is null or blank
   */
  public static RungRanking byObjective(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "scheduler.rank_by must name one of the study's objectives, got "
              + (name == null ? "null" : "'" + name + "'"));
    }
    return new RungRanking(name, -1);
  }

  /**
   * Ranking by the objective at {@code index} (0-based, in the study's objective order) alone.
   *
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public static RungRanking byObjective(int index) {
    if (index < 0) {
      throw new IllegalArgumentException(
          "scheduler.rank_by must be an objective index of at least 0, got " + index);
    }
    return new RungRanking(null, index);
  }

  /** Whether this ranks by all objectives (the default). */
  public boolean isAllObjectives() {
    return objectiveName == null && objectiveIndex < 0;
  }

  /**
   * The index of the objective this ranks by among {@code objectives}, or -1 for all objectives.
   *
   * @throws IllegalArgumentException naming {@code scheduler.rank_by} and the study's objectives if
   *     the objective is not one of them
   */
  public int resolve(List<Objective> objectives) {
    if (isAllObjectives()) {
      return -1;
    }
    List<String> names = objectives.stream().map(Objective::name).toList();
    if (objectiveName != null) {
      int index = names.indexOf(objectiveName);
      if (index < 0) {
        throw new IllegalArgumentException(
            "scheduler.rank_by: '"
                + objectiveName
                + "' is not an objective of this study; objectives: "
                + String.join(", ", names));
      }
      return index;
    }
    if (objectiveIndex >= names.size()) {
      throw new IllegalArgumentException(
          "scheduler.rank_by: objective index "
              + objectiveIndex
              + " is out of range; the study has "
              + names.size()
              + " objective(s): "
              + String.join(", ", names));
    }
    return objectiveIndex;
  }

  /**
   * {@code trials} ordered best first by this ranking.
   *
   * @throws IllegalArgumentException if the ranking's objective is not one of {@code objectives}
   */
  public List<FrozenTrial> rank(List<FrozenTrial> trials, List<Objective> objectives) {
    int index = resolve(objectives);
    if (index < 0) {
      return order(trials, objectives);
    }
    int m = objectives.size();
    List<FrozenTrial> valued = new ArrayList<>();
    List<FrozenTrial> unvalued = new ArrayList<>();
    for (FrozenTrial t : trials) {
      if (t.state() != TrialState.FAIL
          && t.values().size() == m
          && !Double.isNaN(t.values().get(index))) {
        valued.add(t);
      } else {
        unvalued.add(t);
      }
    }
    unvalued.sort(Comparator.comparingInt(FrozenTrial::number));
    List<FrozenTrial> out = new ArrayList<>(singleObjective(valued, objectives.get(index), index));
    out.addAll(unvalued);
    return out;
  }

  /** A short description for logs: {@code all objectives}, the name, or {@code objective #i}. */
  public String describe() {
    if (objectiveName != null) {
      return objectiveName;
    }
    return objectiveIndex >= 0 ? "objective #" + objectiveIndex : "all objectives";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RungRanking r
        && Objects.equals(objectiveName, r.objectiveName)
        && objectiveIndex == r.objectiveIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(objectiveName, objectiveIndex);
  }

  @Override
  public String toString() {
    return "RungRanking[" + describe() + "]";
  }

  /** {@code trials} ordered best first by all objectives ({@link #allObjectives()}). */
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
        m == 1 ? singleObjective(valued, objectives.get(0), 0) : multiObjective(valued, objectives);
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

  private static List<FrozenTrial> singleObjective(
      List<FrozenTrial> trials, Objective objective, int index) {
    List<FrozenTrial> out = new ArrayList<>(trials);
    out.sort(
        Comparator.comparing(FrozenTrial::isFeasible)
            .reversed()
            .thenComparingDouble(FrozenTrial::totalViolation)
            .thenComparingDouble(t -> objective.direction().toMinimization(t.values().get(index)))
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
