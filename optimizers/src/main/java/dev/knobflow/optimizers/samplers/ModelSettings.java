package dev.knobflow.optimizers.samplers;

import java.util.List;

/**
 * The options every model-based sampler with a start-up phase shares (TPE, GP), set through {@link
 * ModelSamplerBuilder}.
 *
 * @param seed the seed of every random choice
 * @param startupTrials finished trials (plus fitting priors) before the model proposes
 * @param priors observations made outside the study that the model is fitted on beside the trials
 */
public record ModelSettings(long seed, int startupTrials, List<PriorObservation> priors) {

  public ModelSettings {
    priors = List.copyOf(priors);
  }

  /**
   * Whether the start-up phase is over: see {@link PriorObservation#startupDone(int, int, int)}.
   *
   * @param finishedTrials the study's finished trials the model is fitted on
   * @param fittingPriors the priors that give every parameter of the space being sampled
   */
  public boolean startupDone(int finishedTrials, int fittingPriors) {
    return PriorObservation.startupDone(finishedTrials, fittingPriors, startupTrials);
  }
}
