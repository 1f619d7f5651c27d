package dev.knobflow.plugin.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The study file's {@code budget:} section: any subset of GPU-hours, kWh, kg CO2e, wall time and
 * (PBT only) the budget units the population trains.
 *
 * @param gpuHours GPU time summed over the devices each trial used, in hours
 * @param energyKwh metered (or {@code constant_watts}- or CPU-time-estimated) energy in kWh
 * @param co2Kg kg CO2e from the metered energy and the carbon intensity
 * @param wall wall time from the study's first trial
 * @param trained the budget units (epochs, steps) a PBT population trains in all, {@link
 *     dev.knobflow.optimizers.schedulers.pbt.PbtScheduler#trainedBudget()}
 */
public record BudgetSpec(
    OptionalDouble gpuHours,
    OptionalDouble energyKwh,
    OptionalDouble co2Kg,
    Optional<Duration> wall,
    OptionalDouble trained) {

  /** No budget. */
  public static BudgetSpec none() {
    return new BudgetSpec(
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Optional.empty(),
        OptionalDouble.empty());
  }

  /** Whether no limit is set. */
  public boolean isEmpty() {
    return gpuHours.isEmpty()
        && energyKwh.isEmpty()
        && co2Kg.isEmpty()
        && wall.isEmpty()
        && trained.isEmpty();
  }

  /** Whether a limit needs energy metering (everything but wall time and trained units). */
  public boolean needsMetering() {
    return gpuHours.isPresent() || energyKwh.isPresent() || co2Kg.isPresent();
  }
}
