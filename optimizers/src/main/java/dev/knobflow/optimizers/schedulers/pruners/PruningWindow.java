package dev.knobflow.optimizers.schedulers.pruners;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import java.util.Map;
import java.util.Set;

/**
 * When a pruner may decide at all: after {@code startupTrials} completed trials, from step {@code
 * warmupSteps} on, and once per {@code intervalSteps} (at the first step reported in each interval
 * counted from the warm-up).
 *
 * @param startupTrials completed trials needed before any pruning, {@code >= 0}
 * @param warmupSteps steps before which a trial is never pruned, {@code >= 0}
 * @param intervalSteps how often (in steps) a decision is taken, {@code >= 1}
 */
public record PruningWindow(int startupTrials, long warmupSteps, long intervalSteps) {

  public PruningWindow {
    if (startupTrials < 0) {
      throw new IllegalArgumentException(
          "scheduler.startup_trials must be >= 0, got " + startupTrials);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("scheduler.warmup_steps must be >= 0, got " + warmupSteps);
    }
    if (intervalSteps < 1) {
      throw new IllegalArgumentException(
          "scheduler.interval_steps must be >= 1, got " + intervalSteps);
    }
  }

  /** Optuna's defaults for the median pruner: 5 startup trials, no warm-up, every step. */
  public static PruningWindow defaults() {
    return new PruningWindow(5, 0, 1);
  }

  /** No startup trials, no warm-up, every step. */
  public static PruningWindow always() {
    return new PruningWindow(0, 0, 1);
  }

  /** Whether a decision is due for the trial's last reported step. */
  public boolean isOpen(StudyView study, FrozenTrial trial) {
    Map.Entry<Long, ?> last = trial.intermediateValues().lastEntry();
    if (last == null || last.getKey() < warmupSteps) {
      return false;
    }
    Map.Entry<Long, ?> previous = trial.intermediateValues().lowerEntry(last.getKey());
    if (previous != null && previous.getKey() >= warmupSteps) {
      long now = (last.getKey() - warmupSteps) / intervalSteps;
      long before = (previous.getKey() - warmupSteps) / intervalSteps;
      if (now == before) {
        return false;
      }
    }
    return startupTrials == 0 || study.trials(Set.of(TrialState.COMPLETE)).size() >= startupTrials;
  }
}
