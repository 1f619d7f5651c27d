package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An observation made outside the study (a past study's trial, a known good configuration) that a
 * model-based sampler adds to the trials its model is fitted on. Priors are configuration, never
 * trials: they are not stored, not run and never the study's best trial.
 *
 * @param params parameter values by name, typed as the distributions expect (numbers for float and
 *     int parameters, the choice itself for categoricals)
 * @param values objective values in the study's objective order, in each objective's own direction
 *     (an accuracy is given as an accuracy, not negated)
 */
public record PriorObservation(Map<String, Object> params, List<Double> values) {

  public PriorObservation {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(values, "values");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    values = List.copyOf(values);
  }

  /**
   * How many fitting priors let a model act at once: with this many, a sampler with priors skips
   * its start-up phase, so warm start changes the study from its first trial.
   */
  public static final int ENOUGH_TO_ACT = 2;

  /**
   * Whether a model-based sampler is past its start-up phase: it has {@code startupTrials}
   * observations (finished trials plus fitting priors), or at least {@link #ENOUGH_TO_ACT} fitting
   * priors.
   */
  public static boolean startupDone(int finishedTrials, int fittingPriors, int startupTrials) {
    return finishedTrials + fittingPriors >= startupTrials || fittingPriors >= ENOUGH_TO_ACT;
  }

  /** A prior with the given parameters and objective values. */
  public static PriorObservation of(Map<String, Object> params, double... values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return new PriorObservation(params, list);
  }

  /**
   * The priors that fit {@code space}, as synthetic complete trials numbered {@code -n..-1} (older
   * than every real trial, so age-based weights treat them as the oldest observations).
   *
   * <p>A prior is skipped when its values are not {@code objectiveCount} finite numbers. Of its
   * parameters, only those the space declares and whose value the distribution contains are kept (a
   * sampler that needs every parameter of the space checks that itself); a prior left with none is
   * skipped.
   */
  public static List<FrozenTrial> asTrials(
      List<PriorObservation> priors, Map<String, Distribution> space, int objectiveCount) {
    List<FrozenTrial> out = new ArrayList<>();
    int number = -priors.size();
    for (PriorObservation prior : priors) {
      int current = number++;
      if (prior.values.size() != objectiveCount
          || !prior.values.stream().allMatch(Double::isFinite)) {
        continue;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      Map<String, Distribution> distributions = new LinkedHashMap<>();
      for (Map.Entry<String, Distribution> e : space.entrySet()) {
        Object value = prior.params.get(e.getKey());
        if (value != null && e.getValue().contains(value)) {
          params.put(e.getKey(), value);
          distributions.put(e.getKey(), e.getValue());
        }
      }
      if (params.isEmpty()) {
        continue;
      }
      out.add(
          new FrozenTrial(
              current,
              TrialState.COMPLETE,
              prior.values,
              params,
              distributions,
              Collections.emptyNavigableMap(),
              List.of(),
              Map.of(),
              Map.of(),
              Map.of(),
              Double.NaN,
              null,
              null,
              null,
              null));
    }
    return out;
  }
}
