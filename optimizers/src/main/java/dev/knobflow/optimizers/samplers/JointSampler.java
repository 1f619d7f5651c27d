package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.Map;

/**
 * A sampler that samples jointly over the study's declared space or, without one, over the
 * parameters every finished trial shares ({@link SearchSpaces#declaredOrIntersection}): Sobol, GP
 * and NSGA-II. Parameters outside it are sampled independently.
 */
public interface JointSampler extends Sampler {

  @Override
  default Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
    return SearchSpaces.declaredOrIntersection(study);
  }
}
