package dev.knobflow.plugin.tracking;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a tracking call under a {@link RetryPolicy}, retrying transient failures only. */
final class Retrier {

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final MlflowConnection connection;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final AtomicLong retries = new AtomicLong();

  Retrier(RetryPolicy policy, MlflowConnection connection, Sleeper sleeper, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  static Retrier of(RetryPolicy policy, MlflowConnection connection) {
    return new Retrier(
        policy,
        connection,
        d -> Thread.sleep(d.toMillis()),
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** How many retries (attempts after a first) this retrier has made. */
  long retries() {
    return retries.get();
  }

  /**
   * Calls {@code call}, retrying transient failures with backoff.
   *
   * @throws MlflowTrackingException the last failure, described, when attempts run out or the
   *     failure is not transient
   */
  <T> T call(String operation, Callable<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (!MlflowFailures.isTransient(e) || attempt >= policy.maxAttempts()) {
          throw MlflowFailures.describe(operation, connection, e);
        }
        Duration delay = policy.delayBeforeRetry(attempt, random.getAsDouble());
        retries.incrementAndGet();
        LOG.debug(
            "{} failed transiently (attempt {}/{}), retrying in {} ms: {}",
            operation,
            attempt,
            policy.maxAttempts(),
            delay.toMillis(),
            connection.redact(String.valueOf(e.getMessage())));
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw MlflowFailures.describe(operation, connection, e);
        }
      }
    }
  }

  /** One attempt of {@code call}, its failure described as {@link #call} describes it. */
  <T> T once(String operation, Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw MlflowFailures.describe(operation, connection, e);
    }
  }

  /** {@link #call} for calls without a result. */
  void run(String operation, ThrowingRunnable call) {
    call(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  /** A call without a result that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
