package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.energy.DeviceEnergy;
import dev.knobflow.greenmetrics.energy.EnergyReport;
import dev.knobflow.greenmetrics.power.DeviceKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The metric names a measured trial gets, and how they are computed from an {@link EnergyReport}.
 */
public final class EnergyMetrics {

  /** Energy of the trial's devices in watt-hours, scaled to the whole trial when not covered. */
  public static final String ENERGY_WH = "energy_wh";

  /** Grams CO2e: {@code energy_wh / 1000 x intensity}. */
  public static final String CO2_G = "co2_g";

  /** Sum over devices of each device's average power. */
  public static final String AVG_POWER_W = "avg_power_w";

  /** Sum over devices of each device's peak power (an upper bound of the combined peak). */
  public static final String PEAK_POWER_W = "peak_power_w";

  /** The lowest fraction (0..1) of the trial's time backed by samples, over its devices. */
  public static final String ENERGY_COVERAGE = "energy_coverage";

  /** CPU seconds of the trial (its command's process tree, or the JVM), for the estimate. */
  public static final String CPU_SECONDS = "cpu_seconds";

  /** Watt-hours estimated from CPU time where nothing measures power; never a measurement. */
  public static final String ESTIMATED_ENERGY_WH = "estimated_energy_wh";

  /** Grams CO2e of {@link #ESTIMATED_ENERGY_WH}. */
  public static final String ESTIMATED_CO2_G = "estimated_co2_g";

  /** The objectives the meter can fill in ({@code source: measured}). */
  public static final Set<String> MEASURABLE_OBJECTIVES = Set.of(ENERGY_WH, CO2_G);

  private EnergyMetrics() {}

  /**
   * The metrics of one trial: {@code energy_wh}, {@code co2_g}, {@code avg_power_w}, {@code
   * peak_power_w}, {@code energy_coverage} and {@code gpu_<i>_energy_wh} / {@code
   * cpu_<i>_energy_wh} per device. A device with no sample at all makes the energy unknown: then
   * only {@code energy_coverage} (0) is returned, never a zero energy.
   */
  public static Map<String, Double> of(EnergyReport report, CarbonIntensity carbon) {
    Map<String, Double> m = new LinkedHashMap<>();
    double coverage = report.minCoverage();
    if (report.devices().isEmpty()) {
      return m;
    }
    if (!(coverage > 0)) {
      m.put(ENERGY_COVERAGE, 0.0);
      return m;
    }
    double joules = 0;
    double peak = 0;
    for (DeviceEnergy d : report.devices()) {
      joules += d.estimatedJoules();
      peak += Double.isNaN(d.peakWatts()) ? 0 : d.peakWatts();
    }
    double wh = joules / 3600.0;
    m.put(ENERGY_WH, wh);
    m.put(CO2_G, carbon.gramsCo2e(wh / 1000.0));
    m.put(AVG_POWER_W, report.totalAverageWatts());
    m.put(PEAK_POWER_W, peak);
    m.put(ENERGY_COVERAGE, coverage);
    for (DeviceEnergy d : report.devices()) {
      m.put(deviceMetric(d), d.estimatedJoules() / 3600.0);
    }
    return m;
  }

  /** {@code gpu_0_energy_wh} or {@code cpu_0_energy_wh} (the RAPL package number). */
  static String deviceMetric(DeviceEnergy d) {
    String kind = d.device().kind() == DeviceKind.GPU ? "gpu" : "cpu";
    return kind + "_" + d.device().index() + "_energy_wh";
  }

  /** Whether {@code name} is one of the metrics this class writes. */
  public static boolean isEnergyMetric(String name) {
    return name.equals(ENERGY_WH)
        || name.equals(CO2_G)
        || name.equals(AVG_POWER_W)
        || name.equals(PEAK_POWER_W)
        || name.equals(ENERGY_COVERAGE)
        || name.equals(CPU_SECONDS)
        || name.equals(ESTIMATED_ENERGY_WH)
        || name.equals(ESTIMATED_CO2_G)
        || name.matches("(gpu|cpu)_\\d+_energy_wh");
  }
}
