package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.Sampler;
import java.util.List;
import java.util.OptionalLong;

/**
 * One {@code sampler.type} of the study file: the keys it accepts besides {@code type}, their
 * validation and how the sampler is built. Register new ones in {@link SamplerFactory}.
 */
public interface SamplerType {

  /** The name written as {@code sampler.type}. */
  String name();

  /** The keys the section may hold besides {@code type}, in documentation order. */
  List<String> keys();

  /**
   * Checks this type's settings; unknown keys are already reported. Record problems through {@link
   * Section#problem}.
   *
   * @param section the {@code sampler} section
   * @param space the declared search space (possibly empty for define-by-run class objectives)
   */
  default void validate(Section section, SearchSpace space) {}

  /**
   * Builds the sampler from validated settings.
   *
   * @param seed the study's seed, if any
   */
  Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed);

  /** Whether {@link #create(SamplerSpec, SearchSpace, OptionalLong, List)} uses the priors. */
  default boolean acceptsPriors() {
    return false;
  }

  /**
   * Builds the sampler with prior observations (warm start); types that cannot use them ignore them
   * (see {@link #acceptsPriors()}).
   */
  default Sampler create(
      SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
    return create(spec, space, seed);
  }

  /** Whether the sampler optimises only one objective (CMA-ES); checked against the study's. */
  default boolean singleObjective() {
    return false;
  }

  /**
   * Whether the sampler can run out of points (a grid), so that a study file may omit {@code
   * trials}.
   */
  default boolean isFinite() {
    return false;
  }
}
