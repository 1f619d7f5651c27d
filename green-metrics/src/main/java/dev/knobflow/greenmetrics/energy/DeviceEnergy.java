package dev.knobflow.greenmetrics.energy;

import dev.knobflow.greenmetrics.power.Device;
import java.util.Objects;

/**
 * Energy of one device over a measured interval.
 *
 * @param device the device
 * @param joules energy integrated over the covered part of the interval
 * @param averageWatts {@code joules} divided by the covered time; NaN when nothing was covered
 * @param peakWatts the highest sampled (or edge-interpolated) power; NaN when there were no samples
 * @param sampleCount samples taken inside the interval
 * @param coverage fraction (0..1) of the interval backed by samples; gaps between samples longer
 *     than the meter's maximum gap are not covered, and their energy is not counted
 */
public record DeviceEnergy(
    Device device,
    double joules,
    double averageWatts,
    double peakWatts,
    int sampleCount,
    double coverage) {

  public DeviceEnergy {
    Objects.requireNonNull(device, "device");
    if (!(joules >= 0)) {
      throw new IllegalArgumentException("joules must be >= 0, got " + joules);
    }
    if (!(coverage >= 0 && coverage <= 1.0 + 1e-9)) {
      throw new IllegalArgumentException("coverage must be in [0, 1], got " + coverage);
    }
    if (sampleCount < 0) {
      throw new IllegalArgumentException("sampleCount must be >= 0, got " + sampleCount);
    }
    coverage = Math.min(1.0, coverage);
  }

  /** Energy in watt-hours. */
  public double wattHours() {
    return joules / 3600.0;
  }

  /** Energy in kilowatt-hours. */
  public double kilowattHours() {
    return joules / 3_600_000.0;
  }

  /**
   * Energy scaled up to the whole interval as if uncovered parts drew the covered average; equal to
   * {@link #joules()} at full coverage, NaN at zero coverage.
   */
  public double estimatedJoules() {
    return coverage > 0 ? joules / coverage : Double.NaN;
  }
}
