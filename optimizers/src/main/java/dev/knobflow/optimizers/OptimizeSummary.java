package dev.knobflow.optimizers;

import java.time.Duration;
import java.util.Map;

/**
 * What an {@link Study#optimize} call did.
 *
 * @param trialsByState how many trials this call finished, by state
 * @param elapsed the wall time of the call
 * @param stopReason why it stopped: {@code trials}, {@code target} (the study's trial target,
 *     {@link TrialTarget}, was reached by the trials of all its workers), {@code timeout}, {@code
 *     exhausted}, {@code budget} (a {@link dev.knobflow.optimizers.budget.StudyBudget} refused
 *     another trial) or {@code stopped}
 */
public record OptimizeSummary(
    Map<TrialState, Integer> trialsByState, Duration elapsed, String stopReason) {

  public OptimizeSummary {
    trialsByState = Map.copyOf(trialsByState);
  }

  /** The number of trials this call finished. */
  public int finished() {
    return trialsByState.values().stream().mapToInt(Integer::intValue).sum();
  }
}
