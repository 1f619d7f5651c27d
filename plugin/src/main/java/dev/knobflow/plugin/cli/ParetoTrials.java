package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ParetoFronts;
import dev.knobflow.optimizers.TrialState;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto-optimal completed trials of stored trials, by the engine's one rule ({@link
 * ParetoFronts}, as {@code Study.paretoFront()}), for commands that read a storage without opening
 * a {@code Study} (which would write the sampler attribute).
 */
final class ParetoTrials {

  private ParetoTrials() {}

  /**
   * The result front of stored trials: {@link ParetoFronts#of} (constraint domination, at the
   * highest budget reached, one trial per configuration), in number order.
   */
  static List<FrozenTrial> front(List<FrozenTrial> trials, List<Objective> objectives) {
    return ParetoFronts.of(
        trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList(), objectives);
  }

  /** The front sorted by the first objective, best first. */
  static List<FrozenTrial> sortedByFirstObjective(
      List<FrozenTrial> front, List<Objective> objectives) {
    Objective first = objectives.get(0);
    return front.stream()
        .sorted(
            Comparator.comparingDouble(
                (FrozenTrial t) -> first.direction().toMinimization(t.values().get(0))))
        .toList();
  }
}
