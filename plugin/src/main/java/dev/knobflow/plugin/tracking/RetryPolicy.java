package dev.knobflow.plugin.tracking;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounded exponential backoff with jitter for transient failures (HTTP 429, 5xx, connection
 * errors).
 *
 * <p>The delay before retry {@code n} (1-based) is {@code min(maxBackoff, initialBackoff *
 * multiplier^(n-1))}, reduced by a random fraction of up to {@code jitter} so that many workers do
 * not retry in lockstep.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param initialBackoff delay before the first retry
 * @param maxBackoff cap on any single delay
 * @param multiplier growth factor per retry, at least 1
 * @param jitter fraction in [0, 1] by which a delay may be randomly shortened
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter) {

  /** Checks every field. */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff durations must not be negative");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be >= 1, got " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
    }
  }

  /** 8 attempts, 250 ms doubling to at most 8 s, 50% jitter: rides out about 20 s of outage. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(8), 2.0, 0.5);
  }

  /** A single attempt, no retry. */
  public static RetryPolicy noRetry() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
  }

  /** The same policy with another attempt count. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter);
  }

  /**
   * Delay before retry number {@code retry} (1 = the first retry).
   *
   * @param random a value in [0, 1) choosing the jitter
   */
  public Duration delayBeforeRetry(int retry, double random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1, got " + retry);
    }
    double base = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(base, maxBackoff.toMillis());
    double jittered = capped * (1.0 - jitter * random);
    return Duration.ofMillis(Math.round(jittered));
  }
}
