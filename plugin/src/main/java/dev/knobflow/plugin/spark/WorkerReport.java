package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.TrialState;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one Spark task's worker loop did.
 *
 * @param worker the task's index, {@code 0..workers-1}
 * @param host the executor's host name
 * @param trialNumbers the numbers of the trials this worker finished, in order
 * @param trialsByState how many of them ended in each state
 */
public record WorkerReport(
    int worker, String host, List<Integer> trialNumbers, Map<TrialState, Integer> trialsByState)
    implements Serializable {

  public WorkerReport {
    trialNumbers = List.copyOf(trialNumbers);
    trialsByState = Map.copyOf(trialsByState);
  }

  /** Trials this worker finished as COMPLETE. */
  public int completed() {
    return trialsByState.getOrDefault(TrialState.COMPLETE, 0);
  }
}
