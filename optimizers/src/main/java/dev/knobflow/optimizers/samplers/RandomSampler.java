package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.distributions.Distribution;

/**
 * Independent uniform sampling (log-uniform for log distributions). With a seed, a trial's
 * parameters depend only on the seed, the trial number and the parameter name, so a seeded study is
 * reproducible even with parallel workers.
 */
public final class RandomSampler implements Sampler {

  private final long seed;

  private RandomSampler(long seed) {
    this.seed = seed;
  }

  /** A random sampler with a fixed seed. */
  public static RandomSampler seeded(long seed) {
    return new RandomSampler(seed);
  }

  /** A random sampler with a fresh seed. */
  public static RandomSampler create() {
    return new RandomSampler(Seeds.fresh());
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    return distribution.fromUnit(Seeds.forParam(seed, trial.number(), name).nextDouble());
  }

  @Override
  public String describe() {
    return "random(seed=" + seed + ")";
  }
}
