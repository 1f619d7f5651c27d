package dev.knobflow.greenmetrics.energy;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.NanoClock;
import dev.knobflow.greenmetrics.power.PowerSample;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.power.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Integrates the power of chosen devices over time intervals (typically one trial each).
 *
 * <p>One meter wraps started, shared {@link PowerSource}s; any number of measurements may run at
 * once, each over its own devices, so parallel trials on separate GPUs get only their own devices'
 * energy. The meter does not own the sources: close them yourself. All sources must stamp samples
 * on the same clock (the default {@link NanoClock#SYSTEM}); the meter uses the first source's
 * clock.
 *
 * <pre>{@code
 * EnergyMeter meter = EnergyMeter.of(List.of(nvidiaSmi));
 * Measurement m = meter.start(Set.of(gpu0));
 * runTrial();
 * EnergyReport report = m.stop();
 * }</pre>
 */
public final class EnergyMeter {

  /** Default maximum gap, as a multiple of the sampling interval. */
  public static final double DEFAULT_MAX_GAP_FACTOR = 3.0;

  /** Default upper bound on how long {@link Measurement#stop()} waits for a trailing sample. */
  public static final Duration DEFAULT_MAX_TRAILING_WAIT = Duration.ofMillis(500);

  private final Map<String, PowerSource> sourceByDeviceId;
  private final Map<String, Device> deviceById;
  private final NanoClock clock;
  private final double maxGapFactor;
  private final Duration maxTrailingWait;

  private EnergyMeter(Builder b) {
    this.maxGapFactor = b.maxGapFactor;
    this.maxTrailingWait = b.maxTrailingWait;
    this.sourceByDeviceId = new LinkedHashMap<>();
    this.deviceById = new LinkedHashMap<>();
    for (PowerSource source : b.sources) {
      for (Device d : source.devices()) {
        PowerSource previous = sourceByDeviceId.putIfAbsent(d.id(), source);
        if (previous != null) {
          throw new IllegalArgumentException(
              "Device "
                  + d.id()
                  + " is measured by both "
                  + previous.name()
                  + " and "
                  + source.name()
                  + "; give each device one source");
        }
        deviceById.put(d.id(), d);
      }
    }
    this.clock = b.sources.isEmpty() ? NanoClock.SYSTEM : b.sources.get(0).clock();
  }

  /** A meter over started sources, with default settings. */
  public static EnergyMeter of(Collection<? extends PowerSource> sources) {
    return builder().sources(sources).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every device the meter can measure. */
  public List<Device> devices() {
    return List.copyOf(deviceById.values());
  }

  /** Starts measuring all devices. */
  public Measurement startAll() {
    return start(deviceById.values());
  }

  /**
   * Starts measuring {@code devices} (matched by {@link Device#id()}).
   *
   * @throws IllegalArgumentException when a device is not measured by any source, listing the
   *     devices that are
   */
  public Measurement start(Collection<Device> devices) {
    Objects.requireNonNull(devices, "devices");
    List<Device> resolved = new ArrayList<>();
    for (Device d : Set.copyOf(devices)) {
      Device known = deviceById.get(d.id());
      if (known == null) {
        throw new IllegalArgumentException(
            "Device '" + d.id() + "' is not measured; measurable devices: " + deviceById.keySet());
      }
      resolved.add(known);
    }
    resolved.sort((x, y) -> x.id().compareTo(y.id()));
    long start = clock.nanoTime();
    Instant startedAt = Instant.now();
    List<EnergyAccumulator> accumulators = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    Duration wait = Duration.ZERO;
    for (Device d : resolved) {
      PowerSource source = sourceByDeviceId.get(d.id());
      long interval = source.samplingInterval().toNanos();
      EnergyAccumulator acc =
          new EnergyAccumulator(start, Math.max(1, Math.round(interval * maxGapFactor)));
      accumulators.add(acc);
      subscriptions.add(source.subscribe(d, acc));
      Duration deviceWait = source.samplingInterval().multipliedBy(2);
      wait = deviceWait.compareTo(wait) > 0 ? deviceWait : wait;
    }
    if (wait.compareTo(maxTrailingWait) > 0) {
      wait = maxTrailingWait;
    }
    return new Measurement(
        List.copyOf(resolved), accumulators, subscriptions, clock, start, startedAt, wait);
  }

  /**
   * Integrates an explicit list of samples (time-ordered) over {@code [startNanos, endNanos]} with
   * the same rule the meter uses live; useful for offline data such as a captured CSV.
   */
  public static DeviceEnergy integrate(
      Device device, List<PowerSample> samples, long startNanos, long endNanos, Duration maxGap) {
    return EnergyAccumulator.integrate(device, samples, startNanos, endNanos, maxGap.toNanos());
  }

  /** Options for {@link EnergyMeter}. */
  public static final class Builder {
    private final List<PowerSource> sources = new ArrayList<>();
    private double maxGapFactor = DEFAULT_MAX_GAP_FACTOR;
    private Duration maxTrailingWait = DEFAULT_MAX_TRAILING_WAIT;

    private Builder() {}

    /** Adds started sources; each device must belong to only one. */
    public Builder sources(Collection<? extends PowerSource> more) {
      sources.addAll(more);
      return this;
    }

    /** Adds a started source. */
    public Builder source(PowerSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /**
     * Gaps between samples longer than {@code factor} x the sampling interval count as uncovered
     * (default 3).
     */
    public Builder maxGapFactor(double factor) {
      if (!(factor >= 1.0) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException(
            "maxGapFactor must be a finite number >= 1, got " + factor);
      }
      this.maxGapFactor = factor;
      return this;
    }

    /**
     * Upper bound on how long {@link Measurement#stop()} waits for the first sample after the end
     * (default 500 ms; the wait is at most two sampling intervals). Zero holds the last sample flat
     * instead of waiting.
     */
    public Builder maxTrailingWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("maxTrailingWait must be >= 0, got " + wait);
      }
      this.maxTrailingWait = wait;
      return this;
    }

    public EnergyMeter build() {
      return new EnergyMeter(this);
    }
  }
}
