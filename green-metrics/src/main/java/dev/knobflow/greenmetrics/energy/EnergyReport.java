package dev.knobflow.greenmetrics.energy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Energy of a set of devices over one measured interval (e.g. one trial).
 *
 * @param startedAt wall-clock start (for display only; integration uses the monotonic clock)
 * @param duration length of the interval
 * @param devices per-device energy, sorted by device id
 */
public record EnergyReport(Instant startedAt, Duration duration, List<DeviceEnergy> devices) {

  public EnergyReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    devices = List.copyOf(devices);
  }

  /** Sum of the devices' joules. */
  public double totalJoules() {
    return devices.stream().mapToDouble(DeviceEnergy::joules).sum();
  }

  /** Sum of the devices' energy in watt-hours. */
  public double totalWattHours() {
    return totalJoules() / 3600.0;
  }

  /** Sum of the devices' energy in kilowatt-hours. */
  public double totalKilowattHours() {
    return totalJoules() / 3_600_000.0;
  }

  /** Sum of the devices' average power (devices with no coverage are left out). */
  public double totalAverageWatts() {
    return devices.stream()
        .mapToDouble(DeviceEnergy::averageWatts)
        .filter(w -> !Double.isNaN(w))
        .sum();
  }

  /** Sum of the devices' samples inside the interval. */
  public int totalSampleCount() {
    return devices.stream().mapToInt(DeviceEnergy::sampleCount).sum();
  }

  /** The lowest coverage of any device (1.0 when there are no devices). */
  public double minCoverage() {
    return devices.stream().mapToDouble(DeviceEnergy::coverage).min().orElse(1.0);
  }

  /** The energy of the device with the given id, if it was measured. */
  public Optional<DeviceEnergy> device(String deviceId) {
    return devices.stream().filter(d -> d.device().id().equals(deviceId)).findFirst();
  }
}
