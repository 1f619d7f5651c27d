package dev.knobflow.mlflowrest;

import dev.knobflow.time.Clock;
import dev.knobflow.time.RetryLoop;
import dev.knobflow.time.RetryPolicy;
import dev.knobflow.time.Sleeper;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call under the shared {@link RetryPolicy} ({@link RetryLoop}), retrying transient failures
 * only, for MLflow requests and for the PostgreSQL storage's transactions alike; a backend says
 * which of its failures are transient and how to describe them ({@link Failures}).
 */
public final class Retrier {

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
  private final RetryLoop loop;
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
    this.loop =
        policy
            .loop(Clock.SYSTEM, Objects.requireNonNull(sleeper, "sleeper"))
            .withRandom(Objects.requireNonNull(random, "random"));
  }

  static Retrier of(RetryPolicy policy, MlflowConnection connection) {
    return of(policy, mlflow(connection));
  }

  /** A retrier that sleeps the policy's delays with random jitter. */
  public static Retrier of(RetryPolicy policy, Failures failures) {
    return new Retrier(
        policy,
        failures,
        Sleeper.SYSTEM,
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
    try {
      return loop.call(
          Exception.class,
          call::call,
          failures::isTransient,
          (attempt, delay, e) -> {
            retries.incrementAndGet();
            LOG.debug(
                "{} failed transiently (attempt {}/{}), retrying in {} ms: {}",
                operation,
                attempt,
                policy.maxAttempts(),
                delay.toMillis(),
                failures.redact(String.valueOf(e.getMessage())));
          });
    } catch (Exception e) {
      throw failures.describe(operation, e);
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
