package dev.knobflow.optimizers.schedulers.pruners;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a trial to stop improving before letting a wrapped pruner decide: the trial is only a
 * candidate once its best value over the last {@code patience + 1} reported steps is no better (by
 * more than {@code minDelta}) than its best value before them. Without a wrapped pruner, a
 * candidate is pruned. Single-objective studies only.
 */
public final class PatientPruner implements Scheduler {

  private final @Nullable Scheduler wrapped;
  private final int patience;
  private final double minDelta;

  private PatientPruner(@Nullable Scheduler wrapped, int patience, double minDelta) {
    if (patience < 0) {
      throw new IllegalArgumentException("scheduler.patience must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("scheduler.min_delta must be >= 0, got " + minDelta);
    }
    this.wrapped = wrapped;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Prunes a trial that has not improved for {@code patience} steps. */
  public static PatientPruner of(int patience) {
    return new PatientPruner(null, patience, 0);
  }

  /** Asks {@code wrapped} only once the trial has not improved for {@code patience} steps. */
  public static PatientPruner wrapping(Scheduler wrapped, int patience, double minDelta) {
    return new PatientPruner(
        java.util.Objects.requireNonNull(wrapped, "wrapped"), patience, minDelta);
  }

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    if (study.isMultiObjective()) {
      throw new IllegalStateException(
          "the patient pruner follows one value per step; this study has "
              + study.objectives().size()
              + " objectives");
    }
    List<Double> values = new ArrayList<>();
    for (List<Double> v : trial.intermediateValues().values()) {
      values.add(v.get(0));
    }
    if (values.size() <= patience + 1) {
      return false;
    }
    Direction direction = study.objectives().get(0).direction();
    int split = values.size() - patience - 1;
    double before = best(values.subList(0, split), direction);
    double after = best(values.subList(split, values.size()), direction);
    boolean stalled =
        direction == Direction.MINIMIZE ? before + minDelta < after : before - minDelta > after;
    if (!stalled) {
      return false;
    }
    return wrapped == null || wrapped.shouldPrune(study, trial);
  }

  private static double best(List<Double> values, Direction direction) {
    double best = Double.NaN;
    for (double v : values) {
      if (!Double.isNaN(v) && (Double.isNaN(best) || direction.isBetter(v, best))) {
        best = v;
      }
    }
    return best;
  }

  @Override
  public String describe() {
    return "patient(patience="
        + patience
        + ", min_delta="
        + minDelta
        + (wrapped == null ? "" : ", wrapped=" + wrapped.describe())
        + ")";
  }
}
