package dev.knobflow.examples.metrics;

import java.util.Arrays;

/**
 * Wall-clock latency of an action: a few untimed warm-up runs (JIT, caches), then the median of
 * timed repeats, which shrugs off the odd GC pause or scheduler hiccup.
 *
 * @param warmups untimed runs first, at least 0
 * @param repeats timed runs, at least 1
 */
public record Latency(int warmups, int repeats) {

  public Latency {
    if (warmups < 0) {
      throw new IllegalArgumentException("warmups must be at least 0, got " + warmups);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }
  }

  /** Something to time; it may throw. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** The median wall time of {@code action} in milliseconds. */
  public double medianMillis(Action action) throws Exception {
    for (int i = 0; i < warmups; i++) {
      action.run();
    }
    double[] millis = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      action.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    return median(millis);
  }

  /** The median of {@code values}; the mean of the middle two for an even count. */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
