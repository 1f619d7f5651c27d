package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.estimate.CpuPowerModel;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates the energy of every evaluation of another objective from the CPU time it used, where
 * nothing measures power (no RAPL, no GPU): {@code estimated_energy_wh = cpu_seconds x watts per
 * core / 3600} ({@link CpuPowerModel}). The result gains the metrics {@value
 * EnergyMetrics#CPU_SECONDS}, {@value EnergyMetrics#ESTIMATED_ENERGY_WH} and {@value
 * EnergyMetrics#ESTIMATED_CO2_G}, and the trial's {@value EnergyMeasuredObjective#ENERGY_ATTR}
 * attribute says {@code estimated: true} with the method and the figure used (a failed trial keeps
 * its estimate there). Never fills in an objective: {@code source: measured} objectives refuse an
 * estimate.
 *
 * <pre>{@code
 * ObjectiveFunction estimated =
 *     EstimatedEnergyObjective.builder(myObjective, TrialCpuTime.jvm(1))
 *         .power(CpuPowerModel.wattsPerCore(12))
 *         .carbon(CarbonIntensity.forCountry("DEU"))
 *         .build();
 * }</pre>
 */
public final class EstimatedEnergyObjective implements ObjectiveFunction, AutoCloseable {

  /** The {@code method} stored in the energy attribute. */
  public static final String METHOD = "cpu-time";

  private static final Logger LOG = LoggerFactory.getLogger(EstimatedEnergyObjective.class);

  private final ObjectiveFunction inner;
  private final TrialCpuTime cpuTime;
  private final CpuPowerModel power;
  private final CarbonIntensity carbon;
  private final AtomicBoolean warned = new AtomicBoolean();

  private EstimatedEnergyObjective(Builder b) {
    this.inner = b.inner;
    this.cpuTime = b.cpuTime;
    this.power = b.power;
    this.carbon = b.carbon;
  }

  /** Starts describing an estimated objective. */
  public static Builder builder(ObjectiveFunction inner, TrialCpuTime cpuTime) {
    return new Builder(inner, cpuTime);
  }

  /** The power figure the estimate uses. */
  public CpuPowerModel power() {
    return power;
  }

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    TrialCpuTime.Span span = cpuTime.start(trial);
    TrialResult result;
    try {
      result = inner.evaluate(trial);
    } catch (Exception | Error e) {
      // A failed or pruned trial used energy too: keep its estimate with the trial.
      span.stop().ifPresent(used -> saveAttr(trial, attr(used, estimate(used))));
      throw e;
    }
    Optional<Duration> used = span.stop();
    if (used.isEmpty()) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn(
            "energy: trial {} has no CPU time (the command ran without its supervisor?), so no"
                + " estimate",
            trial.number());
      }
      return result;
    }
    Map<String, Double> estimate = estimate(used.get());
    saveAttr(trial, attr(used.get(), estimate));
    if (result == null) {
      return null;
    }
    Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
    metrics.putAll(estimate);
    return new TrialResult(result.values(), result.named(), metrics, result.constraints());
  }

  /** {@code cpu_seconds}, {@code estimated_energy_wh} and {@code estimated_co2_g}. */
  Map<String, Double> estimate(Duration used) {
    double wh = power.joules(used) / 3600.0;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(EnergyMetrics.CPU_SECONDS, CpuPowerModel.seconds(used));
    m.put(EnergyMetrics.ESTIMATED_ENERGY_WH, wh);
    m.put(EnergyMetrics.ESTIMATED_CO2_G, carbon.gramsCo2e(wh / 1000.0));
    return m;
  }

  private Map<String, Object> attr(Duration used, Map<String, Double> estimate) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("estimated", true);
    a.put("method", METHOD);
    a.put("watts_per_core", power.wattsPerCore());
    a.put("watts_source", power.source());
    a.putAll(estimate);
    return a;
  }

  private static void saveAttr(Trial trial, Map<String, Object> attr) {
    try {
      trial.setUserAttr(EnergyMeasuredObjective.ENERGY_ATTR, attr);
    } catch (RuntimeException e) {
      LOG.warn("trial {}: cannot store the energy attribute: {}", trial.number(), e.getMessage());
    }
  }

  /** Closes the inner objective (stopping running commands). */
  @Override
  public void close() throws Exception {
    if (inner instanceof AutoCloseable c) {
      c.close();
    }
  }

  /** Options of an {@link EstimatedEnergyObjective}. */
  public static final class Builder {
    private final ObjectiveFunction inner;
    private final TrialCpuTime cpuTime;
    private CpuPowerModel power = CpuPowerModel.defaults();
    private CarbonIntensity carbon = CarbonIntensity.worldDefault();

    private Builder(ObjectiveFunction inner, TrialCpuTime cpuTime) {
      this.inner = Objects.requireNonNull(inner, "inner");
      this.cpuTime = Objects.requireNonNull(cpuTime, "cpuTime");
    }

    /** Watts per busy core; default {@link CpuPowerModel#defaults()}. */
    public Builder power(CpuPowerModel model) {
      this.power = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Grams CO2e per kWh; default the world average. */
    public Builder carbon(CarbonIntensity intensity) {
      this.carbon = Objects.requireNonNull(intensity, "intensity");
      return this;
    }

    public EstimatedEnergyObjective build() {
      return new EstimatedEnergyObjective(this);
    }
  }
}
