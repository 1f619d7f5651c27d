package dev.knobflow.time;

import java.time.Instant;

/**
 * The time seam: everything that waits, samples, retries, times out or heartbeats reads time
 * through a clock, so tests can drive time instead of sleeping.
 *
 * <p>{@link #nanoTime()} is monotonic and measures intervals (deadlines, timeouts, backoff); {@link
 * #now()} is wall time for timestamps that are stored or shown (trial start and end, heartbeats).
 */
public interface Clock {

  /** The JVM's clocks: {@link System#nanoTime()} and {@link Instant#now()}. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return Instant.now();
        }

        @Override
        public String toString() {
          return "Clock.SYSTEM";
        }
      };

  /** Monotonic nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanoTime();

  /** The current wall-clock instant. */
  Instant now();
}
