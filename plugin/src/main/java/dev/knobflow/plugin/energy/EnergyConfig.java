package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.DetectionConfig;
import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.estimate.CpuPowerModel;
import dev.knobflow.greenmetrics.nvidia.NvidiaSmiConfig;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.rapl.RaplConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a study measures energy: the {@code energy:} and {@code carbon:} sections of a study file and
 * the objectives declared with {@code source: measured}.
 *
 * @param enabled false turns measuring off entirely ({@code energy: {enabled: false}})
 * @param nvidiaSmi nvidia-smi settings; empty to skip GPUs
 * @param rapl whether Intel RAPL counters are tried
 * @param constantWatts assumed watts per device, used only for devices nothing measures
 * @param carbon grams CO2e per kWh used for {@code co2_g}
 * @param carbonConfigured false when {@code carbon} is the world default (the log says so)
 * @param measuredObjectives objectives filled in by the meter ({@code energy_wh}, {@code co2_g})
 * @param estimate the CPU-time estimate used when no power source is found ({@code energy:
 *     {estimate: true}}); empty for none. Refused together with measured objectives: an estimate is
 *     not a measurement
 */
public record EnergyConfig(
    boolean enabled,
    Optional<NvidiaSmi> nvidiaSmi,
    boolean rapl,
    Map<Device, Double> constantWatts,
    CarbonIntensity carbon,
    boolean carbonConfigured,
    List<String> measuredObjectives,
    Optional<CpuPowerModel> estimate) {

  public EnergyConfig {
    Objects.requireNonNull(estimate, "estimate");
    Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
    Objects.requireNonNull(carbon, "carbon");
    constantWatts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constantWatts));
    measuredObjectives = List.copyOf(measuredObjectives);
    for (String name : measuredObjectives) {
      if (!EnergyMetrics.MEASURABLE_OBJECTIVES.contains(name)) {
        throw new IllegalArgumentException(
            "only " + EnergyMetrics.MEASURABLE_OBJECTIVES + " can be measured, got '" + name + "'");
      }
    }
    if (!enabled && !measuredObjectives.isEmpty()) {
      throw new IllegalArgumentException(
          "measured objectives " + measuredObjectives + " need energy measuring enabled");
    }
    if (estimate.isPresent() && !measuredObjectives.isEmpty()) {
      throw new IllegalArgumentException(
          "objectives "
              + measuredObjectives
              + " declare source: measured; a CPU-time estimate is never used for them: drop the"
              + " estimate or source: measured");
    }
  }

  /** Without the CPU-time estimate. */
  public EnergyConfig(
      boolean enabled,
      Optional<NvidiaSmi> nvidiaSmi,
      boolean rapl,
      Map<Device, Double> constantWatts,
      CarbonIntensity carbon,
      boolean carbonConfigured,
      List<String> measuredObjectives) {
    this(
        enabled,
        nvidiaSmi,
        rapl,
        constantWatts,
        carbon,
        carbonConfigured,
        measuredObjectives,
        Optional.empty());
  }

  /**
   * The defaults: measure with nvidia-smi and RAPL when available, no assumed power, world-average
   * carbon intensity, no measured objective.
   */
  public static EnergyConfig defaults() {
    return new EnergyConfig(
        true,
        Optional.of(NvidiaSmi.defaults()),
        true,
        Map.of(),
        CarbonIntensity.worldDefault(),
        false,
        List.of());
  }

  /** The same settings with other measured objectives. */
  public EnergyConfig withMeasuredObjectives(List<String> names) {
    return new EnergyConfig(
        enabled, nvidiaSmi, rapl, constantWatts, carbon, carbonConfigured, names, estimate);
  }

  /**
   * The same settings, estimating energy from CPU time with {@code model} where no power source is
   * found.
   *
   * @throws IllegalArgumentException when objectives declare {@code source: measured}
   */
  public EnergyConfig withEstimate(CpuPowerModel model) {
    return new EnergyConfig(
        enabled,
        nvidiaSmi,
        rapl,
        constantWatts,
        carbon,
        carbonConfigured,
        measuredObjectives,
        Optional.of(model));
  }

  /** Whether an objective is filled in by the meter. */
  public boolean isMeasured(String objectiveName) {
    return measuredObjectives.contains(objectiveName);
  }

  /**
   * What {@link dev.knobflow.greenmetrics.PowerSources#detect} should try.
   *
   * @param environment where nvidia-smi reads {@code CUDA_VISIBLE_DEVICES} from
   */
  public DetectionConfig detection(Map<String, String> environment) {
    DetectionConfig.Builder b = DetectionConfig.builder();
    if (nvidiaSmi.isPresent()) {
      b.nvidiaSmi(nvidiaSmi.get().toConfig(environment));
    } else {
      b.withoutNvidiaSmi();
    }
    if (!rapl) {
      b.withoutRapl();
    } else {
      b.rapl(RaplConfig.defaults());
    }
    constantWatts.forEach(b::constantWatts);
    return b.build();
  }

  /**
   * The {@code energy.nvidia_smi} settings.
   *
   * @param interval sampling interval ({@code -lms})
   * @param gpus GPU indices or UUIDs; empty for {@code CUDA_VISIBLE_DEVICES}, else all
   * @param executable the program: a name on {@code PATH} or a path
   */
  public record NvidiaSmi(Duration interval, List<String> gpus, String executable) {
    public NvidiaSmi {
      Objects.requireNonNull(interval, "interval");
      gpus = List.copyOf(gpus);
      Objects.requireNonNull(executable, "executable");
    }

    /** nvidia-smi on {@code PATH}, 100 ms, the GPUs {@code CUDA_VISIBLE_DEVICES} allows. */
    public static NvidiaSmi defaults() {
      return new NvidiaSmi(NvidiaSmiConfig.DEFAULT_INTERVAL, List.of(), "nvidia-smi");
    }

    NvidiaSmiConfig toConfig(Map<String, String> environment) {
      return NvidiaSmiConfig.builder()
          .interval(interval)
          .gpus(gpus)
          .executable(executable)
          .environment(environment)
          .build();
    }
  }
}
