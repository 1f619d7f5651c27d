package dev.knobflow.greenmetrics.nvidia;

import dev.knobflow.greenmetrics.power.NanoClock;
import dev.knobflow.greenmetrics.power.SampleStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link NvidiaSmiSource}; build with {@link #builder()}.
 *
 * @param executable the nvidia-smi program: a name looked up on {@code PATH} or a path
 * @param interval sampling interval passed as {@code -lms}; 100 ms or less is recommended
 * @param gpus explicit GPU selection (indices or UUIDs); empty to use {@code CUDA_VISIBLE_DEVICES}
 *     or else all GPUs
 * @param environment where {@code CUDA_VISIBLE_DEVICES} is read from
 * @param maxConsecutiveRestarts restarts of a dying nvidia-smi without a valid row in between
 *     before the source gives up
 * @param initialBackoff wait before the first restart; doubles per consecutive failure
 * @param maxBackoff upper bound of the restart wait
 * @param stopGrace time nvidia-smi gets to exit after a polite termination before it is killed
 * @param stallTimeout a running nvidia-smi that prints no valid row for this long is killed (and
 *     then restarted like one that died); a fresh process gets at least 30 s for its first row
 * @param probeTimeout time limit of the one-off probe and {@code -L} calls
 * @param retention history kept per GPU for {@code samples(...)} queries
 * @param clock the monotonic clock samples are stamped on
 */
public record NvidiaSmiConfig(
    String executable,
    Duration interval,
    List<String> gpus,
    Map<String, String> environment,
    int maxConsecutiveRestarts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration stopGrace,
    Duration stallTimeout,
    Duration probeTimeout,
    Duration retention,
    NanoClock clock) {

  /** Default sampling interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  public NvidiaSmiConfig {
    Objects.requireNonNull(executable, "executable");
    if (executable.isBlank()) {
      throw new IllegalArgumentException("executable must not be blank");
    }
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be >= 1 ms, got " + interval);
    }
    gpus = List.copyOf(gpus);
    environment = Map.copyOf(environment);
    if (maxConsecutiveRestarts < 0) {
      throw new IllegalArgumentException("maxConsecutiveRestarts must be >= 0");
    }
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(stopGrace, "stopGrace");
    requirePositive(stallTimeout, "stallTimeout");
    if (stallTimeout.compareTo(interval.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException(
          "stallTimeout must be at least 3 sampling intervals, got " + stallTimeout);
    }
    requirePositive(probeTimeout, "probeTimeout");
    requirePositive(retention, "retention");
    Objects.requireNonNull(clock, "clock");
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, got " + d);
    }
  }

  /** Defaults: {@code nvidia-smi} on PATH, 100 ms, CUDA_VISIBLE_DEVICES or all GPUs. */
  public static NvidiaSmiConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private String executable = "nvidia-smi";
    private Duration interval = DEFAULT_INTERVAL;
    private final List<String> gpus = new ArrayList<>();
    private Map<String, String> environment = System.getenv();
    private int maxConsecutiveRestarts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration stopGrace = Duration.ofSeconds(2);
    private Duration stallTimeout = Duration.ofSeconds(10);
    private Duration probeTimeout = Duration.ofSeconds(15);
    private Duration retention = SampleStores.DEFAULT_RETENTION;
    private NanoClock clock = NanoClock.SYSTEM;

    private Builder() {}

    public Builder executable(String executable) {
      this.executable = executable;
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Adds GPUs by index ({@code "0"}) or UUID ({@code "GPU-5c1b..."}). */
    public Builder gpus(List<String> selection) {
      this.gpus.addAll(selection);
      return this;
    }

    public Builder environment(Map<String, String> environment) {
      this.environment = environment;
      return this;
    }

    public Builder maxConsecutiveRestarts(int restarts) {
      this.maxConsecutiveRestarts = restarts;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    public Builder stopGrace(Duration grace) {
      this.stopGrace = grace;
      return this;
    }

    public Builder stallTimeout(Duration timeout) {
      this.stallTimeout = timeout;
      return this;
    }

    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = timeout;
      return this;
    }

    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    public Builder clock(NanoClock clock) {
      this.clock = clock;
      return this;
    }

    public NvidiaSmiConfig build() {
      return new NvidiaSmiConfig(
          executable,
          interval,
          gpus,
          environment,
          maxConsecutiveRestarts,
          initialBackoff,
          maxBackoff,
          stopGrace,
          stallTimeout,
          probeTimeout,
          retention,
          clock);
    }
  }
}
