package dev.knobflow.greenmetrics.nvidia;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * One parsed {@code nvidia-smi --query-gpu} row. Cells nvidia-smi could not fill ({@code [N/A]},
 * {@code [Not Supported]}, ...) are empty optionals, never zeros.
 *
 * @param timestamp nvidia-smi's local wall-clock time of the reading; null when not queried
 * @param index nvidia-smi GPU index
 * @param uuid GPU UUID ({@code GPU-...})
 * @param powerDraw {@code power.draw} in W (a 1 s average on Ampere and later)
 * @param powerDrawInstant {@code power.draw.instant} in W (absent when not queried or supported)
 * @param utilizationGpu {@code utilization.gpu} in percent
 * @param memoryUsedMib {@code memory.used} in MiB
 */
public record GpuReading(
    @Nullable LocalDateTime timestamp,
    int index,
    String uuid,
    OptionalDouble powerDraw,
    OptionalDouble powerDrawInstant,
    OptionalDouble utilizationGpu,
    OptionalDouble memoryUsedMib) {

  public GpuReading {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(powerDraw, "powerDraw");
    Objects.requireNonNull(powerDrawInstant, "powerDrawInstant");
    Objects.requireNonNull(utilizationGpu, "utilizationGpu");
    Objects.requireNonNull(memoryUsedMib, "memoryUsedMib");
  }

  /**
   * The best power value of the row: {@code power.draw.instant} when present (it follows load
   * changes within one sampling interval), else {@code power.draw}; empty when both are absent.
   */
  public OptionalDouble power() {
    return powerDrawInstant.isPresent() ? powerDrawInstant : powerDraw;
  }
}
