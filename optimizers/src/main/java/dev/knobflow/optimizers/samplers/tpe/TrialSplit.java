package dev.knobflow.optimizers.samplers.tpe;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.pareto.Fronts;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Splits observed trials into the "good" set that TPE's {@code l(x)} is fitted to and the "bad" set
 * of {@code g(x)}, with a weight per trial.
 *
 * <p>Rules (Optuna's): {@code gamma(n)} good trials out of the {@code n} complete, pruned and (with
 * the constant liar) running ones. Only complete trials can be good; feasible ones first,
 * infeasible ones after, by total constraint violation. Single objective: the best values. Several
 * objectives (directions normalised to minimisation): whole non-domination fronts, the last one cut
 * by greedy hypervolume subset selection; the good trials are weighted by their hypervolume
 * contribution. Pruned and running trials are always bad.
 *
 * @param below the good trials, in trial-number order
 * @param belowWeights their weights
 * @param above the bad trials, in trial-number order
 * @param aboveWeights their weights
 */
public record TrialSplit(
    List<FrozenTrial> below,
    double[] belowWeights,
    List<FrozenTrial> above,
    double[] aboveWeights) {

  static final double EPS = 1e-12;

  /**
   * Splits {@code trials}.
   *
   * @param trials complete, pruned and running trials to split
   * @param objectives the study's objectives
   * @param gamma the number of good trials for a number of trials
   * @param weights weights for a number of trials in trial order
   */
  public static TrialSplit of(
      List<FrozenTrial> trials,
      List<Objective> objectives,
      IntUnaryOperator gamma,
      IntFunction<double[]> weights) {
    List<FrozenTrial> complete = new ArrayList<>();
    List<FrozenTrial> rest = new ArrayList<>();
    for (FrozenTrial t : trials) {
      if (t.state() == TrialState.COMPLETE && t.values().size() == objectives.size()) {
        complete.add(t);
      } else {
        rest.add(t);
      }
    }
    int nBelow = Math.min(complete.size(), Math.max(0, gamma.applyAsInt(trials.size())));
    List<FrozenTrial> feasible = new ArrayList<>();
    List<FrozenTrial> infeasible = new ArrayList<>();
    for (FrozenTrial t : complete) {
      (t.isFeasible() ? feasible : infeasible).add(t);
    }
    infeasible.sort(Comparator.comparingDouble(FrozenTrial::totalViolation));
    List<FrozenTrial> below = new ArrayList<>();
    if (nBelow > feasible.size()) {
      below.addAll(feasible);
      below.addAll(infeasible.subList(0, nBelow - feasible.size()));
    } else if (objectives.size() == 1) {
      // Keys computed once per trial, not per comparison; the same comparisons, so the same order.
      List<Keyed> sorted = new ArrayList<>(feasible.size());
      for (FrozenTrial t : feasible) {
        sorted.add(new Keyed(loss(t, objectives)[0], t));
      }
      sorted.sort(Comparator.comparingDouble(Keyed::key));
      for (Keyed k : sorted.subList(0, nBelow)) {
        below.add(k.trial());
      }
    } else {
      below.addAll(selectByRankAndHypervolume(feasible, objectives, nBelow));
    }
    List<FrozenTrial> above = new ArrayList<>(complete);
    above.removeAll(below);
    above.addAll(rest);
    Comparator<FrozenTrial> byNumber = Comparator.comparingInt(FrozenTrial::number);
    below.sort(byNumber);
    above.sort(byNumber);
    double[] belowWeights =
        objectives.size() > 1 ? hypervolumeWeights(below, objectives) : weights.apply(below.size());
    return new TrialSplit(below, belowWeights, above, weights.apply(above.size()));
  }

  private record Keyed(double key, FrozenTrial trial) {}

  /** A trial's objective values in minimisation form. */
  static double[] loss(FrozenTrial t, List<Objective> objectives) {
    double[] v = new double[objectives.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = objectives.get(j).direction().toMinimization(t.values().get(j));
    }
    return v;
  }

  private static List<FrozenTrial> selectByRankAndHypervolume(
      List<FrozenTrial> feasible, List<Objective> objectives, int nBelow) {
    List<FrozenTrial> selected = new ArrayList<>();
    if (nBelow == 0) {
      return selected;
    }
    double[][] points = new double[feasible.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = loss(feasible.get(i), objectives);
    }
    Fronts fronts = NonDominatedSorting.sort(points);
    for (int[] front : fronts.fronts()) {
      if (selected.size() + front.length <= nBelow) {
        for (int i : front) {
          selected.add(feasible.get(i));
        }
        if (selected.size() == nBelow) {
          break;
        }
        continue;
      }
      int need = nBelow - selected.size();
      for (int i : greedySubset(points, front, need)) {
        selected.add(feasible.get(i));
      }
      break;
    }
    return selected;
  }

  /**
   * Greedy hypervolume subset selection: repeatedly keeps the point that adds the most hypervolume
   * to those kept, against a reference just beyond the front's worst point.
   */
  static int[] greedySubset(double[][] points, int[] candidates, int size) {
    double[][] candidatePoints = new double[candidates.length][];
    for (int i = 0; i < candidates.length; i++) {
      candidatePoints[i] = points[candidates[i]];
    }
    double[] reference = referencePoint(candidatePoints);
    boolean[] taken = new boolean[candidates.length];
    List<double[]> chosen = new ArrayList<>();
    int[] result = new int[size];
    double current = 0;
    for (int s = 0; s < size; s++) {
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < candidates.length; i++) {
        if (taken[i]) {
          continue;
        }
        chosen.add(candidatePoints[i]);
        double gain = Hypervolume.compute(chosen.toArray(new double[0][]), reference) - current;
        chosen.remove(chosen.size() - 1);
        if (gain > bestGain) {
          bestGain = gain;
          best = i;
        }
      }
      taken[best] = true;
      chosen.add(candidatePoints[best]);
      current += bestGain;
      result[s] = candidates[best];
    }
    return result;
  }

  /**
   * Optuna's reference: {@code max(1.1 w, 0.9 w)} of the worst point, 0 replaced by a tiny value.
   */
  static double[] referencePoint(double[][] points) {
    int m = points[0].length;
    double[] worst = new double[m];
    Arrays.fill(worst, Double.NEGATIVE_INFINITY);
    for (double[] p : points) {
      for (int j = 0; j < m; j++) {
        if (Double.isFinite(p[j])) {
          worst[j] = Math.max(worst[j], p[j]);
        }
      }
    }
    for (int j = 0; j < m; j++) {
      double w = worst[j] == Double.NEGATIVE_INFINITY ? 0 : worst[j];
      worst[j] = Math.max(1.1 * w, 0.9 * w);
      if (worst[j] == 0) {
        worst[j] = EPS;
      }
    }
    return worst;
  }

  private static double[] hypervolumeWeights(List<FrozenTrial> below, List<Objective> objectives) {
    double[] w = new double[below.size()];
    Arrays.fill(w, EPS);
    List<Integer> feasibleIndex = new ArrayList<>();
    for (int i = 0; i < below.size(); i++) {
      if (below.get(i).isFeasible()) {
        feasibleIndex.add(i);
      }
    }
    if (feasibleIndex.isEmpty()) {
      return w;
    }
    double[][] points = new double[feasibleIndex.size()][];
    for (int i = 0; i < points.length; i++) {
      points[i] = loss(below.get(feasibleIndex.get(i)), objectives);
    }
    double[] contributions = Hypervolume.contributions(points, referencePoint(points));
    double max = EPS;
    for (double c : contributions) {
      max = Math.max(max, c);
    }
    for (int i = 0; i < points.length; i++) {
      w[feasibleIndex.get(i)] = Math.max(contributions[i] / max, EPS);
    }
    return w;
  }
}
