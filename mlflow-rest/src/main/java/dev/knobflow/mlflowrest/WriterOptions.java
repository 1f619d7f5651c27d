package dev.knobflow.mlflowrest;

import dev.knobflow.time.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link MlflowWriter}. Build with {@link #builder()}.
 *
 * @param limits MLflow's request limits
 * @param retry backoff for one request; when it is exhausted on a transient failure the writes stay
 *     buffered and delivery is tried again after {@code retry.maxBackoff()}
 * @param oversizedValues what to do with too-long param and tag values
 * @param bufferCapacity most writes held in memory; beyond it callers wait (see {@code
 *     enqueueTimeout})
 * @param linger how long the background sender waits for more writes before sending a partial batch
 * @param enqueueTimeout how long a logging call may wait for buffer space before it throws
 * @param closeTimeout how long {@link MlflowWriter#close()} waits for delivery before it throws
 */
public record WriterOptions(
    MlflowLimits limits,
    RetryPolicy retry,
    OversizedValuePolicy oversizedValues,
    int bufferCapacity,
    Duration linger,
    Duration enqueueTimeout,
    Duration closeTimeout) {

  /** Checks every field. */
  public WriterOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(oversizedValues, "oversizedValues");
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (bufferCapacity < 1) {
      throw new IllegalArgumentException("bufferCapacity must be >= 1, got " + bufferCapacity);
    }
    if (linger.isNegative() || enqueueTimeout.isNegative() || closeTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "linger, enqueueTimeout and closeTimeout must not be negative");
    }
  }

  /**
   * The defaults: MLflow limits, default retries, truncation, 200,000 writes, 200 ms linger, 60 s
   * enqueue and close timeouts.
   */
  public static WriterOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link WriterOptions}. */
  public static final class Builder {
    private MlflowLimits limits = MlflowLimits.mlflowDefaults();
    private RetryPolicy retry = RetryPolicy.defaults();
    private OversizedValuePolicy oversizedValues = OversizedValuePolicy.TRUNCATE;
    private int bufferCapacity = 200_000;
    private Duration linger = Duration.ofMillis(200);
    private Duration enqueueTimeout = Duration.ofSeconds(60);
    private Duration closeTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** MLflow's request limits. */
    public Builder limits(MlflowLimits value) {
      this.limits = value;
      return this;
    }

    /** Backoff for one request. */
    public Builder retry(RetryPolicy value) {
      this.retry = value;
      return this;
    }

    /** Truncate or reject too-long values. */
    public Builder oversizedValues(OversizedValuePolicy value) {
      this.oversizedValues = value;
      return this;
    }

    /** Most writes held in memory. */
    public Builder bufferCapacity(int value) {
      this.bufferCapacity = value;
      return this;
    }

    /** Wait for more writes before sending a partial batch. */
    public Builder linger(Duration value) {
      this.linger = value;
      return this;
    }

    /** Longest wait for buffer space. */
    public Builder enqueueTimeout(Duration value) {
      this.enqueueTimeout = value;
      return this;
    }

    /** Longest wait for delivery in {@link MlflowWriter#close()}. */
    public Builder closeTimeout(Duration value) {
      this.closeTimeout = value;
      return this;
    }

    /** The options. */
    public WriterOptions build() {
      return new WriterOptions(
          limits, retry, oversizedValues, bufferCapacity, linger, enqueueTimeout, closeTimeout);
    }
  }
}
