package dev.knobflow.greenmetrics.estimate;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Energy estimated from CPU time where nothing measures power: {@code joules = CPU seconds x watts
 * per core}. A fully busy core for one second costs {@code wattsPerCore} joules; an idle one
 * nothing. This is the shape of CodeCarbon's fallback for machines without RAPL (a CPU power figure
 * times the CPU utilisation), applied to the CPU time a trial actually used rather than to the
 * machine's load. It is an estimate, never a measurement: callers label it so.
 *
 * @param wattsPerCore the power of one fully busy core, watts (&gt; 0)
 * @param source where the figure comes from, for logs and stored attributes
 */
public record CpuPowerModel(double wattsPerCore, String source) {

  /**
   * The power CodeCarbon assumes for a CPU its table does not know ({@code POWER_CONSTANT}, 85 W
   * thermal design power), which it scales by the machine's CPU load.
   */
  public static final double CODECARBON_FALLBACK_TDP_WATTS = 85.0;

  public CpuPowerModel {
    if (!(wattsPerCore > 0) || Double.isInfinite(wattsPerCore)) {
      throw new IllegalArgumentException("watts per core must be > 0, got " + wattsPerCore);
    }
    Objects.requireNonNull(source, "source");
  }

  /**
   * The default: CodeCarbon's fallback, 85 W for the whole CPU at full load, spread over this
   * machine's cores ({@link Runtime#availableProcessors()}): {@code 85 / cores} watts per core, so
   * a trial that keeps every core busy for a second costs 85 J.
   */
  public static CpuPowerModel defaults() {
    return forCores(Runtime.getRuntime().availableProcessors());
  }

  /** CodeCarbon's fallback (85 W at full load) spread over {@code cores} cores. */
  public static CpuPowerModel forCores(int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be >= 1, got " + cores);
    }
    return new CpuPowerModel(
        CODECARBON_FALLBACK_TDP_WATTS / cores,
        String.format(
            Locale.ROOT,
            "default: CodeCarbon's fallback of %.0f W at full load over %d core%s",
            CODECARBON_FALLBACK_TDP_WATTS,
            cores,
            cores == 1 ? "" : "s"));
  }

  /** A configured figure. */
  public static CpuPowerModel wattsPerCore(double watts) {
    return new CpuPowerModel(watts, "configured");
  }

  /** The estimated joules of {@code cpuTime}. */
  public double joules(Duration cpuTime) {
    return seconds(cpuTime) * wattsPerCore;
  }

  /** {@code cpuTime} in seconds, with nanosecond resolution. */
  public static double seconds(Duration cpuTime) {
    return cpuTime.getSeconds() + cpuTime.getNano() / 1e9;
  }
}
