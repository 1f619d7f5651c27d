package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ParetoFronts;
import dev.knobflow.optimizers.pareto.Hypervolume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The completed trials of a study in minimisation form, sorted by constraint domination: which are
 * Pareto-optimal, which are infeasible, and the hypervolume history.
 */
public final class ParetoAnalysis {

  private final StudyData data;
  private final List<FrozenTrial> trials;
  private final double[][] minimised;
  private final boolean[] paretoOptimal;
  private final boolean[] comparable;
  private final OptionalDouble topBudget;

  private ParetoAnalysis(StudyData data) {
    this.data = data;
    this.trials = data.completed();
    this.minimised = new double[trials.size()][];
    for (int i = 0; i < trials.size(); i++) {
      minimised[i] = minimise(data.objectives(), trials.get(i));
    }
    // The engine's one rule: constraint domination at the highest budget reached, one trial per
    // configuration.
    Set<Integer> front = new HashSet<>();
    ParetoFronts.of(trials, data.objectives()).forEach(t -> front.add(t.number()));
    OptionalDouble top = ParetoFronts.topBudget(trials);
    this.paretoOptimal = new boolean[trials.size()];
    this.comparable = new boolean[trials.size()];
    for (int i = 0; i < trials.size(); i++) {
      paretoOptimal[i] = front.contains(trials.get(i).number());
      OptionalDouble b = trials.get(i).budgetIfAssigned();
      comparable[i] = top.isEmpty() || (b.isPresent() && b.getAsDouble() == top.getAsDouble());
    }
    this.topBudget = top;
  }

  /** Analyses {@code data}'s completed trials. */
  public static ParetoAnalysis of(StudyData data) {
    return new ParetoAnalysis(data);
  }

  /** The completed trials with finite values, in number order. */
  public List<FrozenTrial> trials() {
    return trials;
  }

  /**
   * Whether {@code trials().get(i)} ran at the budget the front is taken at: the highest budget
   * reached in a multi-fidelity study, always true otherwise.
   */
  public boolean isAtTopBudget(int i) {
    return comparable[i];
  }

  /** The highest budget reached; empty when no trial had a budget. */
  public OptionalDouble topBudget() {
    return topBudget;
  }

  /**
   * Whether {@code trials().get(i)} is on the result front ({@link ParetoFronts#of}: constraint
   * domination, at the highest budget reached, one trial per configuration).
   */
  public boolean isParetoOptimal(int i) {
    return paretoOptimal[i];
  }

  /** The Pareto-optimal trials sorted by the first objective, best first. */
  public List<FrozenTrial> front() {
    List<FrozenTrial> front = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      if (paretoOptimal[i]) {
        front.add(trials.get(i));
      }
    }
    Objective first = data.objectives().get(0);
    front.sort(
        Comparator.comparingDouble(
            (FrozenTrial t) -> first.direction().toMinimization(t.values().get(0))));
    return front;
  }

  /**
   * The reference point for hypervolumes: per objective, the worst observed (minimisation-form)
   * value among feasible trials at the front's budget plus 10% of the observed range (10% of the
   * magnitude, or 1, when the range is 0).
   */
  public double[] referencePoint() {
    int m = data.objectives().size();
    double[] ref = new double[m];
    for (int j = 0; j < m; j++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < trials.size(); i++) {
        if (trials.get(i).isFeasible() && comparable[i]) {
          lo = Math.min(lo, minimised[i][j]);
          hi = Math.max(hi, minimised[i][j]);
        }
      }
      double range = hi - lo;
      double margin = range > 0 ? 0.1 * range : Math.max(0.1 * Math.abs(hi), 1.0);
      ref[j] = hi + margin;
    }
    return ref;
  }

  /**
   * The hypervolume of the feasible trials finished so far (at the front's budget), after each
   * completed trial.
   *
   * @return {@code [trial numbers, hypervolumes]}, one entry per completed trial; empty when no
   *     trial is feasible
   */
  public double[][] hypervolumeHistory() {
    List<double[]> feasible = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      if (trials.get(i).isFeasible() && comparable[i]) {
        feasible.add(minimised[i]);
      }
    }
    if (feasible.isEmpty()) {
      return new double[][] {new double[0], new double[0]};
    }
    double[] ref = referencePoint();
    double[] numbers = new double[trials.size()];
    double[] volumes = new double[trials.size()];
    List<double[]> seen = new ArrayList<>();
    double volume = 0;
    for (int i = 0; i < trials.size(); i++) {
      // Only the non-dominated set so far is kept: dominated points add no volume.
      if (trials.get(i).isFeasible() && comparable[i] && addNonDominated(seen, minimised[i])) {
        volume = Hypervolume.compute(seen.toArray(double[][]::new), ref);
      }
      numbers[i] = trials.get(i).number();
      volumes[i] = volume;
    }
    return new double[][] {numbers, volumes};
  }

  private static boolean addNonDominated(List<double[]> set, double[] p) {
    for (double[] q : set) {
      if (weaklyDominates(q, p)) {
        return false;
      }
    }
    set.removeIf(q -> weaklyDominates(p, q));
    set.add(p);
    return true;
  }

  private static boolean weaklyDominates(double[] a, double[] b) {
    for (int j = 0; j < a.length; j++) {
      if (a[j] > b[j]) {
        return false;
      }
    }
    return true;
  }

  private static double[] minimise(List<Objective> objectives, FrozenTrial t) {
    double[] v = new double[objectives.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = objectives.get(j).direction().toMinimization(t.values().get(j));
    }
    return v;
  }
}
