package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.random.SobolSequenceGenerator;

/**
 * Quasi-random sampling along a Sobol sequence (Joe and Kuo direction numbers, from Hipparchus),
 * which covers the space more evenly than random points. Trial {@code n} takes point {@code n + 1}
 * of the sequence (the origin is skipped), shifted by a seeded random offset modulo 1
 * (Cranley-Patterson rotation) unless scrambling is off. Parameters outside the modelled space are
 * sampled at random.
 */
public final class SobolSampler implements JointSampler {

  private final long seed;
  private final boolean scramble;
  private final Map<Integer, SobolSequenceGenerator> generators = new LinkedHashMap<>();

  private SobolSampler(long seed, boolean scramble) {
    this.seed = seed;
    this.scramble = scramble;
  }

  /** A scrambled Sobol sampler with a fixed seed. */
  public static SobolSampler seeded(long seed) {
    return new SobolSampler(seed, true);
  }

  /** A scrambled Sobol sampler with a fresh seed. */
  public static SobolSampler create() {
    return new SobolSampler(Seeds.fresh(), true);
  }

  /** The plain, unscrambled Sobol sequence. */
  public static SobolSampler unscrambled(long seed) {
    return new SobolSampler(seed, false);
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    if (space.isEmpty()) {
      return RelativeSample.empty();
    }
    double[] point = point(space.size(), trial.number() + 1);
    Map<String, Object> sample = new LinkedHashMap<>();
    int i = 0;
    SplittableRandom shift = new SplittableRandom(Seeds.mix(seed, space.size()));
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      double u = point[i++];
      if (scramble) {
        u = (u + shift.nextDouble()) % 1.0;
      }
      sample.put(e.getKey(), e.getValue().fromUnit(u));
    }
    return RelativeSample.of(sample);
  }

  private synchronized double[] point(int dimension, int index) {
    if (dimension > 21201) {
      throw new IllegalArgumentException(
          "the Sobol sampler supports up to 21201 parameters, got " + dimension);
    }
    SobolSequenceGenerator generator =
        generators.computeIfAbsent(dimension, SobolSequenceGenerator::new);
    return generator.skipTo(index);
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    return distribution.fromUnit(Seeds.forParam(seed, trial.number(), name).nextDouble());
  }

  @Override
  public String describe() {
    return "sobol(seed=" + seed + (scramble ? "" : ", unscrambled") + ")";
  }
}
