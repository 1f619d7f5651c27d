package dev.knobflow.plugin.tracking;

import dev.knobflow.optimizers.time.Clock;
import dev.knobflow.optimizers.time.RetryLoop;
import dev.knobflow.optimizers.time.RetryPolicy;
import dev.knobflow.optimizers.time.Sleeper;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a tracking call under the shared {@link RetryPolicy} ({@link RetryLoop}), retrying transient
 * failures only, and describes the failure that ends it.
 */
final class Retrier {

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final MlflowConnection connection;
  private final RetryLoop loop;
  private final AtomicLong retries = new AtomicLong();

  Retrier(RetryPolicy policy, MlflowConnection connection, Sleeper sleeper, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.loop = policy.loop(Clock.SYSTEM, sleeper).withRandom(random);
  }

  static Retrier of(RetryPolicy policy, MlflowConnection connection) {
    return new Retrier(
        policy,
        connection,
        Sleeper.SYSTEM,
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
    try {
      return loop.call(
          Exception.class,
          call::call,
          MlflowFailures::isTransient,
          (attempt, delay, e) -> {
            retries.incrementAndGet();
            LOG.debug(
                "{} failed transiently (attempt {}/{}), retrying in {} ms: {}",
                operation,
                attempt,
                policy.maxAttempts(),
                delay.toMillis(),
                connection.redact(String.valueOf(e.getMessage())));
          });
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
