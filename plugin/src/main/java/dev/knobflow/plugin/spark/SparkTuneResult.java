package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.TrialState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link SparkTuner} run did.
 *
 * @param study the study's name
 * @param storage where the study is, as {@code knobflow show --storage} takes it
 * @param workers one report per Spark task, by worker index
 */
public record SparkTuneResult(String study, String storage, List<WorkerReport> workers) {

  public SparkTuneResult {
    workers = List.copyOf(workers);
  }

  /** Trials finished by all workers together, by state. */
  public Map<TrialState, Integer> trialsByState() {
    Map<TrialState, Integer> total = new EnumMap<>(TrialState.class);
    for (WorkerReport w : workers) {
      w.trialsByState().forEach((s, n) -> total.merge(s, n, Integer::sum));
    }
    return total;
  }

  /** Trials finished as COMPLETE by all workers together. */
  public int completed() {
    return trialsByState().getOrDefault(TrialState.COMPLETE, 0);
  }
}
