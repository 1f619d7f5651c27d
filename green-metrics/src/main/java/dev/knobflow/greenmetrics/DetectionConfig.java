package dev.knobflow.greenmetrics;

import dev.knobflow.greenmetrics.nvidia.NvidiaSmiConfig;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.rapl.RaplConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PowerSources#detect(DetectionConfig)} tries.
 *
 * @param nvidiaSmi nvidia-smi settings; empty to skip GPUs
 * @param rapl Intel RAPL settings; empty to skip CPUs
 * @param constantWatts explicitly configured watts per device for devices nothing measures; empty
 *     when not configured (the default: assumed power is never used silently)
 */
public record DetectionConfig(
    Optional<NvidiaSmiConfig> nvidiaSmi,
    Optional<RaplConfig> rapl,
    Map<Device, Double> constantWatts) {

  public DetectionConfig {
    Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
    Objects.requireNonNull(rapl, "rapl");
    constantWatts = Map.copyOf(constantWatts);
  }

  /** nvidia-smi and RAPL with their defaults, no constant power. */
  public static DetectionConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; by default tries nvidia-smi and RAPL with their defaults. */
  public static final class Builder {
    private Optional<NvidiaSmiConfig> nvidiaSmi = Optional.of(NvidiaSmiConfig.defaults());
    private Optional<RaplConfig> rapl = Optional.of(RaplConfig.defaults());
    private final Map<Device, Double> constantWatts = new LinkedHashMap<>();

    private Builder() {}

    public Builder nvidiaSmi(NvidiaSmiConfig config) {
      this.nvidiaSmi = Optional.of(config);
      return this;
    }

    public Builder withoutNvidiaSmi() {
      this.nvidiaSmi = Optional.empty();
      return this;
    }

    public Builder rapl(RaplConfig config) {
      this.rapl = Optional.of(config);
      return this;
    }

    public Builder withoutRapl() {
      this.rapl = Optional.empty();
      return this;
    }

    /**
     * Assumes {@code watts} for a device (e.g. {@code Device.parseId("gpu:0")}) when no measuring
     * source covers it.
     */
    public Builder constantWatts(Device device, double watts) {
      if (!Double.isFinite(watts) || watts < 0) {
        throw new IllegalArgumentException(
            "constant watts for " + device.id() + " must be a finite number >= 0, got " + watts);
      }
      constantWatts.put(device, watts);
      return this;
    }

    public DetectionConfig build() {
      return new DetectionConfig(nvidiaSmi, rapl, constantWatts);
    }
  }
}
