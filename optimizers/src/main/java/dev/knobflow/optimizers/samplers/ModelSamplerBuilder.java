package dev.knobflow.optimizers.samplers;

import java.util.List;
import java.util.Objects;

/**
 * The options of a model-based sampler's builder that TPE and GP share: the seed, the start-up
 * trials and prior observations. Each sampler's builder extends this with its own options.
 *
 * @param <S> the sampler built
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class ModelSamplerBuilder<S extends Sampler, B extends ModelSamplerBuilder<S, B>> {

  private final int minStartupTrials;
  private long seed = Seeds.fresh();
  private int startupTrials = 10;
  private List<PriorObservation> priors = List.of();

  /**
   * @param minStartupTrials the fewest start-up trials the sampler accepts
   */
  protected ModelSamplerBuilder(int minStartupTrials) {
    this.minStartupTrials = minStartupTrials;
  }

  /** The seed of every random choice (default a fresh one). */
  public final B seed(long value) {
    this.seed = value;
    return self();
  }

  /** Trials sampled without the model before it is used (default 10). */
  public final B startupTrials(int value) {
    this.startupTrials = SamplerOptions.atLeast("startupTrials", value, minStartupTrials);
    return self();
  }

  /**
   * Observations made outside the study (e.g. past studies' trials) that the model is fitted on
   * beside the trials once the start-up trials are done; values in the study's objective order and
   * directions (empty by default). Priors that give every modelled parameter count toward the
   * start-up trials, so with enough of them the model proposes from the first trial; they never
   * appear in storage. Which priors a sampler uses is said in its class comment.
   */
  public final B priorObservations(List<PriorObservation> value) {
    this.priors = List.copyOf(Objects.requireNonNull(value, "priorObservations"));
    return self();
  }

  /** The shared options as set. */
  protected final ModelSettings modelSettings() {
    return new ModelSettings(seed, startupTrials, priors);
  }

  /** This builder as its concrete type. */
  protected abstract B self();

  /** The sampler. */
  public abstract S build();
}
