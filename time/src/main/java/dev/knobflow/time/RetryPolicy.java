package dev.knobflow.time;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The project's one retry and wait policy: bounded exponential backoff with jitter, limited by a
 * number of attempts, by elapsed time, or both. Every retry loop (MLflow requests, the MLflow
 * storage riding out an outage) and every wait for a condition (ticket waits, the journal lock)
 * runs under one, through a {@link RetryLoop} that takes the {@link Clock} and {@link Sleeper}.
 *
 * <p>The delay before retry {@code n} (1-based) is {@code min(maxBackoff, initialBackoff *
 * multiplier^(n-1))}, reduced by a random fraction of up to {@code jitter} so that many workers do
 * not retry in lockstep.
 *
 * @param maxAttempts total attempts including the first, at least 1 ({@link Integer#MAX_VALUE}: no
 *     limit)
 * @param initialBackoff delay before the first retry
 * @param maxBackoff cap on any single delay
 * @param multiplier growth factor per retry, at least 1
 * @param jitter fraction in [0, 1] by which a delay may be randomly shortened
 * @param maxElapsed no retry starts once this much time has passed since the first attempt; null
 *     for no time limit
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    @Nullable Duration maxElapsed) {

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
    if (maxElapsed != null && maxElapsed.isNegative()) {
      throw new IllegalArgumentException("maxElapsed must not be negative, got " + maxElapsed);
    }
  }

  /** A policy limited by attempts only. */
  public RetryPolicy(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      double multiplier,
      double jitter) {
    this(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, null);
  }

  /** 8 attempts, 250 ms doubling to at most 8 s, 50% jitter: rides out about 20 s of outage. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(8), 2.0, 0.5);
  }

  /** A single attempt, no retry. */
  public static RetryPolicy noRetry() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
  }

  /**
   * Retries for as long as {@code maxElapsed}, waiting {@code initial} doubling up to {@code max}
   * between attempts, without jitter.
   */
  public static RetryPolicy within(Duration maxElapsed, Duration initial, Duration max) {
    Objects.requireNonNull(maxElapsed, "maxElapsed");
    return new RetryPolicy(Integer.MAX_VALUE, initial, max, 2.0, 0.0, maxElapsed);
  }

  /** Retries without end, {@code interval} apart: for waits that only the awaited event ends. */
  public static RetryPolicy forever(Duration interval) {
    return new RetryPolicy(Integer.MAX_VALUE, interval, interval, 1.0, 0.0, null);
  }

  /** The same policy with another attempt count. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter, maxElapsed);
  }

  /** The same policy with another time limit (null: none). */
  public RetryPolicy withMaxElapsed(@Nullable Duration value) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, value);
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
    double base = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(base, maxBackoff.toNanos());
    double jittered = capped * (1.0 - jitter * random);
    return Duration.ofNanos(Math.round(jittered));
  }

  /** Whether another attempt may start after {@code attempts} attempts and {@code elapsed}. */
  public boolean allowsRetry(int attempts, Duration elapsed) {
    return attempts < maxAttempts && (maxElapsed == null || elapsed.compareTo(maxElapsed) < 0);
  }

  /** A loop running this policy on the system clock, with random jitter. */
  public RetryLoop loop() {
    return RetryLoop.of(this, Clock.SYSTEM, Sleeper.SYSTEM);
  }

  /** A loop running this policy on {@code clock} and {@code sleeper}, with random jitter. */
  public RetryLoop loop(Clock clock, Sleeper sleeper) {
    return RetryLoop.of(this, clock, sleeper);
  }
}
