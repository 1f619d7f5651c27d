package dev.knobflow.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs a {@link RetryPolicy}: retries a call while its failures are transient, or polls until a
 * condition holds, waiting between attempts through the injected {@link Sleeper} and measuring
 * elapsed time on the injected {@link Clock}. Thread-safe and stateless between calls.
 */
public final class RetryLoop {

  /** One attempt of a call that may fail with {@code E}. */
  @FunctionalInterface
  public interface Attempt<T, E extends Exception> {
    T run() throws E;
  }

  /** Told before each wait: the attempt that just failed (1-based), the delay and the failure. */
  @FunctionalInterface
  public interface RetryListener<E extends Exception> {
    void retrying(int attempt, Duration delay, E failure);
  }

  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  private RetryLoop(RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A loop whose jitter is random. */
  public static RetryLoop of(RetryPolicy policy, Clock clock, Sleeper sleeper) {
    return new RetryLoop(policy, clock, sleeper, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The same loop choosing jitter from {@code random} (values in [0, 1)); for tests. */
  public RetryLoop withRandom(DoubleSupplier random) {
    return new RetryLoop(policy, clock, sleeper, random);
  }

  /** The policy. */
  public RetryPolicy policy() {
    return policy;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  /** The sleeper. */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * Runs {@code attempt} until it returns. A failure of type {@code failureType} that {@code
   * retryable} accepts is retried after the policy's delay while the policy allows; any other
   * failure, the last one when the policy runs out, or the last one when the thread is interrupted
   * while waiting (its interrupt flag is then set again) is thrown unchanged.
   */
  public <T, E extends Exception> T call(
      Class<E> failureType,
      Attempt<T, E> attempt,
      Predicate<? super E> retryable,
      RetryListener<? super E> listener)
      throws E {
    long start = clock.nanoTime();
    for (int n = 1; ; n++) {
      E failure;
      try {
        return attempt.run();
      } catch (Exception e) {
        if (!failureType.isInstance(e)) {
          // Attempt.run declares only E: anything else is unchecked.
          throw (RuntimeException) e;
        }
        failure = failureType.cast(e);
      }
      if (!retryable.test(failure)
          || !policy.allowsRetry(n, Duration.ofNanos(clock.nanoTime() - start))) {
        throw failure;
      }
      Duration delay = policy.delayBeforeRetry(n, random.getAsDouble());
      listener.retrying(n, delay, failure);
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw failure;
      }
    }
  }

  /**
   * Probes until {@code done} accepts the probed value or the policy runs out, waiting the policy's
   * delays in between, and returns the last value probed: the caller checks {@code done} on it to
   * tell success from timeout.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public <T> T poll(Supplier<T> probe, Predicate<? super T> done) throws InterruptedException {
    long start = clock.nanoTime();
    for (int n = 1; ; n++) {
      T value = probe.get();
      if (done.test(value) || !policy.allowsRetry(n, Duration.ofNanos(clock.nanoTime() - start))) {
        return value;
      }
      sleeper.sleep(policy.delayBeforeRetry(n, random.getAsDouble()));
    }
  }
}
