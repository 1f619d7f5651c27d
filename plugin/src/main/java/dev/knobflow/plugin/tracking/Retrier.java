package dev.knobflow.plugin.tracking;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call under a {@link RetryPolicy}, retrying transient failures only: the one retry loop of
 * the project, for MLflow requests and for the PostgreSQL storage's transactions alike.
 */
public final class Retrier {

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** What a backend says about its failures: which are transient, and how to describe them. */
  public interface Failures {
    /** Whether another attempt may succeed. */
    boolean isTransient(Exception failure);

    /** The exception to throw when attempts run out or the failure is not transient. */
    RuntimeException describe(String operation, Exception failure);

    /** The text with any secret removed, for log lines. */
    String redact(String text);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final Failures failures;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final AtomicLong retries = new AtomicLong();

  Retrier(RetryPolicy policy, MlflowConnection connection, Sleeper sleeper, DoubleSupplier random) {
    this(policy, mlflow(connection), sleeper, random);
  }

  /**
   * A retrier for any backend.
   *
   * @param sleeper waits between attempts
   * @param random values in [0, 1) choosing each delay's jitter
   */
  public Retrier(RetryPolicy policy, Failures failures, Sleeper sleeper, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  static Retrier of(RetryPolicy policy, MlflowConnection connection) {
    return of(policy, mlflow(connection));
  }

  /** A retrier that sleeps the policy's delays with random jitter. */
  public static Retrier of(RetryPolicy policy, Failures failures) {
    return new Retrier(
        policy,
        failures,
        d -> Thread.sleep(d.toMillis()),
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  private static Failures mlflow(MlflowConnection connection) {
    Objects.requireNonNull(connection, "connection");
    return new Failures() {
      @Override
      public boolean isTransient(Exception failure) {
        return MlflowFailures.isTransient(failure);
      }

      @Override
      public RuntimeException describe(String operation, Exception failure) {
        return MlflowFailures.describe(operation, connection, failure);
      }

      @Override
      public String redact(String text) {
        return connection.redact(text);
      }
    };
  }

  /** How many retries (attempts after a first) this retrier has made. */
  public long retries() {
    return retries.get();
  }

  /**
   * Calls {@code call}, retrying transient failures with backoff.
   *
   * @throws RuntimeException the last failure, described by the {@link Failures}, when attempts run
   *     out or the failure is not transient
   */
  public <T> T call(String operation, Callable<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (!failures.isTransient(e) || attempt >= policy.maxAttempts()) {
          throw failures.describe(operation, e);
        }
        Duration delay = policy.delayBeforeRetry(attempt, random.getAsDouble());
        retries.incrementAndGet();
        LOG.debug(
            "{} failed transiently (attempt {}/{}), retrying in {} ms: {}",
            operation,
            attempt,
            policy.maxAttempts(),
            delay.toMillis(),
            failures.redact(String.valueOf(e.getMessage())));
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw failures.describe(operation, e);
        }
      }
    }
  }

  /** One attempt of {@code call}, its failure described as {@link #call} describes it. */
  <T> T once(String operation, Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw failures.describe(operation, e);
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
