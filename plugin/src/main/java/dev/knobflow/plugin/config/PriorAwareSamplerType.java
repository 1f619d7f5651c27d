package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.Sampler;
import java.util.List;
import java.util.OptionalLong;

/** A sampler type whose samplers learn from warm-start prior observations (TPE, GP, auto). */
interface PriorAwareSamplerType extends SamplerType {

  @Override
  default boolean acceptsPriors() {
    return true;
  }

  @Override
  default Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
    return create(spec, space, seed, List.of());
  }

  @Override
  Sampler create(
      SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors);
}
