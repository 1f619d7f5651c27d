package dev.knobflow.optimizers.schedulers.pruners;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.List;
import java.util.Map;

/**
 * Stops a trial whose last reported value is NaN, below {@code lower} or above {@code upper}. For a
 * multi-objective study the limits apply to every objective's value. Limits are absolute, so the
 * direction does not matter; {@code NaN} means no limit on that side.
 */
public final class ThresholdPruner implements Scheduler {

  private final double lower;
  private final double upper;
  private final PruningWindow window;

  private ThresholdPruner(double lower, double upper, PruningWindow window) {
    if (!Double.isNaN(lower) && !Double.isNaN(upper) && lower > upper) {
      throw new IllegalArgumentException(
          "scheduler.lower (" + lower + ") must not be above scheduler.upper (" + upper + ")");
    }
    this.lower = lower;
    this.upper = upper;
    this.window = window;
  }

  /** Prunes NaN values only. */
  public static ThresholdPruner nanOnly() {
    return new ThresholdPruner(Double.NaN, Double.NaN, new PruningWindow(0, 0, 1));
  }

  /** Prunes values outside {@code [lower, upper]} ({@code NaN}: no limit) and NaN values. */
  public static ThresholdPruner of(double lower, double upper) {
    return new ThresholdPruner(lower, upper, new PruningWindow(0, 0, 1));
  }

  /** This pruner with another window (its startup trials count is respected too). */
  public ThresholdPruner withWindow(PruningWindow window) {
    return new ThresholdPruner(lower, upper, window);
  }

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    if (!window.isOpen(study, trial)) {
      return false;
    }
    Map.Entry<Long, List<Double>> last = trial.intermediateValues().lastEntry();
    for (double v : last.getValue()) {
      if (Double.isNaN(v) || (!Double.isNaN(lower) && v < lower) || v > upper) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String describe() {
    return "threshold(lower=" + lower + ", upper=" + upper + ")";
  }
}
