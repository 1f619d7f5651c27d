package dev.knobflow.greenmetrics.power;

/**
 * One power reading.
 *
 * @param nanos time of the reading on the JVM's monotonic clock ({@link System#nanoTime()} scale,
 *     or the clock the source was configured with)
 * @param watts instantaneous (or short-window average) power in watts; always finite and >= 0
 */
public record PowerSample(long nanos, double watts) {

  public PowerSample {
    if (!Double.isFinite(watts) || watts < 0) {
      throw new IllegalArgumentException("watts must be finite and >= 0, got " + watts);
    }
  }
}
