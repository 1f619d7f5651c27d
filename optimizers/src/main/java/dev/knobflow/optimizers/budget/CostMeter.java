package dev.knobflow.optimizers.budget;

import dev.knobflow.optimizers.FrozenTrial;
import java.util.OptionalDouble;

/**
 * What one budget counts, read from a trial as it is in storage (so every worker of a study sees
 * the same spending): GPU-hours, kWh and kg CO2e come from the energy metering the plugin stores
 * with each trial; the engine knows none of them.
 */
public interface CostMeter {

  /** The budget key, as written in the study file: {@code gpu_hours}, {@code energy_kwh}... */
  String name();

  /** The cost of a finished trial, or empty when it has none recorded (not metered). */
  OptionalDouble cost(FrozenTrial trial);
}
