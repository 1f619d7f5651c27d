package dev.knobflow.optimizers.samplers;

import java.util.SplittableRandom;

/**
 * Per-trial random streams derived from a seed, so samplers need no mutable random state: the same
 * seed, trial number and parameter name always give the same stream, whatever thread or process
 * samples it.
 */
public final class Seeds {

  private Seeds() {}

  /** A stream for one trial. */
  public static SplittableRandom forTrial(long seed, int trialNumber) {
    return new SplittableRandom(mix(seed, trialNumber));
  }

  /** A stream for one parameter of one trial. */
  public static SplittableRandom forParam(long seed, int trialNumber, String name) {
    return new SplittableRandom(mix(mix(seed, trialNumber), name.hashCode()));
  }

  /** A seed for when the user gave none. */
  public static long fresh() {
    return new SplittableRandom().nextLong();
  }

  /** SplitMix64 finaliser over the combination of two values. */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
