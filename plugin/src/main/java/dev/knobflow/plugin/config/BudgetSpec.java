package dev.knobflow.plugin.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The study file's {@code budget:} section: any subset of GPU-hours, kWh, kg CO2e and wall time.
 *
 * @param gpuHours GPU time summed over the devices each trial used, in hours
 * @param energyKwh metered (or {@code constant_watts}- or CPU-time-estimated) energy in kWh
 * @param co2Kg kg CO2e from the metered energy and the carbon intensity
 * @param wall wall time from the study's first trial
 */
public record BudgetSpec(
    OptionalDouble gpuHours,
    OptionalDouble energyKwh,
    OptionalDouble co2Kg,
    Optional<Duration> wall) {

  /** No budget. */
  public static BudgetSpec none() {
    return new BudgetSpec(
        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());
  }

  /** Whether no limit is set. */
  public boolean isEmpty() {
    return gpuHours.isEmpty() && energyKwh.isEmpty() && co2Kg.isEmpty() && wall.isEmpty();
  }

  /** Whether a limit needs energy metering (everything but wall time). */
  public boolean needsMetering() {
    return gpuHours.isPresent() || energyKwh.isPresent() || co2Kg.isPresent();
  }
}
