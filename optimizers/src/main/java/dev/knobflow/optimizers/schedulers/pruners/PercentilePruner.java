package dev.knobflow.optimizers.schedulers.pruners;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Stops a trial whose best intermediate value so far is worse than the given percentile of the
 * completed trials' values at the same step (the median pruner is the 50th percentile).
 * Direction-aware: "worse" is above the percentile when minimising and below the (100 - p)th
 * percentile when maximising. A NaN best value is pruned. No decision when no completed trial
 * reported that step. Single-objective studies only.
 */
public final class PercentilePruner implements Scheduler {

  private final double percentile;
  private final PruningWindow window;

  private PercentilePruner(double percentile, PruningWindow window) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException(
          "scheduler.percentile must be in [0, 100], got " + percentile);
    }
    this.percentile = percentile;
    this.window = Objects.requireNonNull(window, "window");
  }

  /** The median pruner with Optuna's defaults (5 startup trials, no warm-up, every step). */
  public static PercentilePruner median() {
    return new PercentilePruner(50, PruningWindow.defaults());
  }

  /** A percentile pruner with Optuna's default window. */
  public static PercentilePruner of(double percentile) {
    return new PercentilePruner(percentile, PruningWindow.defaults());
  }

  /** This pruner with another window. */
  public PercentilePruner withWindow(PruningWindow window) {
    return new PercentilePruner(percentile, window);
  }

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    if (study.isMultiObjective()) {
      throw new IllegalStateException(
          "the percentile (median) pruner compares one value per step; this study has "
              + study.objectives().size()
              + " objectives: use a bracket scheduler (ASHA, Hyperband), which ranks by Pareto"
              + " fronts");
    }
    if (!window.isOpen(study, trial)) {
      return false;
    }
    Direction direction = study.objectives().get(0).direction();
    long step = trial.intermediateValues().lastKey();
    double best = Double.NaN;
    for (List<Double> v : trial.intermediateValues().values()) {
      double x = v.get(0);
      if (!Double.isNaN(x) && (Double.isNaN(best) || direction.isBetter(x, best))) {
        best = x;
      }
    }
    if (Double.isNaN(best)) {
      return true;
    }
    List<Double> others = new ArrayList<>();
    for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE))) {
      List<Double> v = t.intermediateValues().get(step);
      if (v != null && !Double.isNaN(v.get(0)) && t.number() != trial.number()) {
        others.add(v.get(0));
      }
    }
    if (others.isEmpty()) {
      return false;
    }
    if (direction == Direction.MINIMIZE) {
      return best > percentileOf(others, percentile);
    }
    return best < percentileOf(others, 100 - percentile);
  }

  /** Linear-interpolation percentile (NumPy's default). */
  static double percentileOf(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double rank = p / 100.0 * (sorted.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (rank - lo);
  }

  @Override
  public String describe() {
    return (percentile == 50 ? "median" : "percentile(" + percentile + ")")
        + "(startup_trials="
        + window.startupTrials()
        + ", warmup_steps="
        + window.warmupSteps()
        + ", interval_steps="
        + window.intervalSteps()
        + ")";
  }
}
