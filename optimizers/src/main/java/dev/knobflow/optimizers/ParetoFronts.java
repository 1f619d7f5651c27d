package dev.knobflow.optimizers;

import dev.knobflow.optimizers.pareto.Dominance;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one rule for which completed trials are a study's result: Pareto-optimal under constraint
 * domination, compared at one budget, one trial per configuration.
 *
 * <p>In a multi-fidelity study a trial's values are only comparable with values at the same budget
 * (an accuracy after 10 epochs is not one after 270), and a promoted configuration has one trial
 * per budget it reached. So the front is taken over the trials at the <em>highest budget
 * reached</em> ({@link #of}), or per budget on request ({@link #perBudget}); trials without an
 * assigned budget form their own group, used when no trial has one. When a configuration (the same,
 * non-empty parameter values) appears more than once in the group, only its lowest-numbered front
 * member is listed.
 *
 * <pre>{@code
 * List<FrozenTrial> front = ParetoFronts.of(study.trials(Set.of(TrialState.COMPLETE)), objectives);
 * }</pre>
 */
public final class ParetoFronts {

  private ParetoFronts() {}

  /**
   * The first front of the completed trials at the highest budget reached (all trials when none has
   * a budget), one trial per configuration, in number order. With constraints, the front is taken
   * over feasible trials, or over the least violating when none is feasible.
   */
  public static List<FrozenTrial> of(List<FrozenTrial> completed, List<Objective> objectives) {
    return frontOf(atTopBudget(completed), objectives);
  }

  /**
   * The best completed trial of a single objective: feasible trials first, then the best value
   * (constraint domination, {@link Dominance#constrainedDominates}); only trials at the highest
   * budget reached are compared. Empty when no trial completed.
   */
  public static Optional<FrozenTrial> best(List<FrozenTrial> completed, Direction direction) {
    FrozenTrial best = null;
    for (FrozenTrial t : atTopBudget(completed)) {
      if (best == null || better(t, best, direction)) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean better(FrozenTrial a, FrozenTrial b, Direction direction) {
    return Dominance.constrainedDominates(
        new double[] {direction.toMinimization(a.value())},
        a.totalViolation(),
        new double[] {direction.toMinimization(b.value())},
        b.totalViolation());
  }

  /**
   * One front per budget, lowest budget first, each as {@link #of} computes it within the budget;
   * trials without a budget are under {@code NaN} (sorted last).
   */
  public static SortedMap<Double, List<FrozenTrial>> perBudget(
      List<FrozenTrial> completed, List<Objective> objectives) {
    SortedMap<Double, List<FrozenTrial>> groups = new TreeMap<>();
    for (FrozenTrial t : completed) {
      groups.computeIfAbsent(budgetKey(t), b -> new ArrayList<>()).add(t);
    }
    SortedMap<Double, List<FrozenTrial>> fronts = new TreeMap<>();
    groups.forEach((b, trials) -> fronts.put(b, frontOf(trials, objectives)));
    return fronts;
  }

  /** The highest budget any of {@code trials} was assigned; empty when none was. */
  public static OptionalDouble topBudget(List<FrozenTrial> trials) {
    return trials.stream()
        .map(FrozenTrial::budgetIfAssigned)
        .filter(OptionalDouble::isPresent)
        .mapToDouble(OptionalDouble::getAsDouble)
        .max();
  }

  /**
   * The trials at the highest budget reached, in their order; all of them when none has a budget.
   */
  public static List<FrozenTrial> atTopBudget(List<FrozenTrial> trials) {
    OptionalDouble top = topBudget(trials);
    if (top.isEmpty()) {
      return List.copyOf(trials);
    }
    double b = top.getAsDouble();
    return trials.stream()
        .filter(t -> t.budgetIfAssigned().isPresent() && t.budgetIfAssigned().getAsDouble() == b)
        .toList();
  }

  /** Whether any of {@code trials} had a budget assigned (a multi-fidelity study). */
  public static boolean hasBudgets(List<FrozenTrial> trials) {
    return topBudget(trials).isPresent();
  }

  private static Double budgetKey(FrozenTrial t) {
    OptionalDouble b = t.budgetIfAssigned();
    return b.isPresent() ? b.getAsDouble() : Double.NaN;
  }

  private static List<FrozenTrial> frontOf(List<FrozenTrial> group, List<Objective> objectives) {
    List<FrozenTrial> completed =
        group.stream()
            .filter(t -> t.state() == TrialState.COMPLETE)
            .filter(t -> t.values().size() == objectives.size())
            .sorted((a, b) -> Integer.compare(a.number(), b.number()))
            .toList();
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
    boolean[] onFront = new boolean[completed.size()];
    for (int index : NonDominatedSorting.sort(points, violations).paretoFront()) {
      onFront[index] = true;
    }
    List<FrozenTrial> out = new ArrayList<>();
    Set<Map<String, Object>> configurations = new HashSet<>();
    for (int i = 0; i < completed.size(); i++) {
      // Number order: a configuration evaluated twice is listed once, as its first trial. Trials
      // without parameters (values told for points the study never suggested) are all kept.
      Map<String, Object> params = completed.get(i).params();
      if (onFront[i] && (params.isEmpty() || configurations.add(params))) {
        out.add(completed.get(i));
      }
    }
    return List.copyOf(out);
  }
}
