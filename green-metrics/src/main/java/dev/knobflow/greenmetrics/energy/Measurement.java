package dev.knobflow.greenmetrics.energy;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.NanoClock;
import dev.knobflow.greenmetrics.power.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A running energy measurement over a set of devices, from {@link EnergyMeter#start} until {@link
 * #stop()}. Thread-safe; {@link #stop()} is idempotent.
 */
public final class Measurement implements AutoCloseable {

  private final List<Device> devices;
  private final List<EnergyAccumulator> accumulators;
  private final List<Subscription> subscriptions;
  private final NanoClock clock;
  private final long startNanos;
  private final Instant startedAt;
  private final Duration trailingWait;
  private EnergyReport report;

  Measurement(
      List<Device> devices,
      List<EnergyAccumulator> accumulators,
      List<Subscription> subscriptions,
      NanoClock clock,
      long startNanos,
      Instant startedAt,
      Duration trailingWait) {
    this.devices = devices;
    this.accumulators = accumulators;
    this.subscriptions = subscriptions;
    this.clock = clock;
    this.startNanos = startNanos;
    this.startedAt = startedAt;
    this.trailingWait = trailingWait;
  }

  /** The devices being measured. */
  public List<Device> devices() {
    return devices;
  }

  /**
   * Ends the measurement and reports. Waits up to the meter's trailing-sample wait for a sample at
   * or after the end so the last stretch is interpolated rather than held flat.
   */
  public synchronized EnergyReport stop() {
    if (report != null) {
      return report;
    }
    long end = clock.nanoTime();
    for (EnergyAccumulator acc : accumulators) {
      acc.setEnd(end);
    }
    long deadline = System.nanoTime() + trailingWait.toNanos();
    try {
      for (EnergyAccumulator acc : accumulators) {
        acc.awaitSampleAtOrAfter(end, deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    subscriptions.forEach(Subscription::close);
    List<DeviceEnergy> energies = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      energies.add(accumulators.get(i).finish(devices.get(i)));
    }
    report = new EnergyReport(startedAt, Duration.ofNanos(end - startNanos), energies);
    return report;
  }

  /** Stops the measurement if still running (the report is then discarded). */
  @Override
  public void close() {
    stop();
  }
}
