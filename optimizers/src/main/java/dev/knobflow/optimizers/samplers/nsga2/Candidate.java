package dev.knobflow.optimizers.samplers.nsga2;

import java.util.List;
import java.util.Map;

/**
 * A completed trial as NSGA-II sees it: its number, objective values in minimisation form, total
 * constraint violation (0 when feasible) and parameters. Value equality, so a memoised selection
 * can check that its inputs are unchanged.
 *
 * @param number the trial number
 * @param objectives objective values, each to be minimised
 * @param violation the total constraint violation, 0 when feasible
 * @param params the trial's parameters
 */
record Candidate(
    int number, List<Double> objectives, double violation, Map<String, Object> params) {

  Candidate {
    objectives = List.copyOf(objectives);
    params = Map.copyOf(params);
  }
}
