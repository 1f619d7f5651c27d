package dev.knobflow.plugin.energy;

import dev.knobflow.optimizers.FrozenTrial;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study's energy and CO2 summed over its trials: completed trials' {@code energy_wh} / {@code
 * co2_g} metrics, and the energy failed or pruned trials kept in their {@value
 * EnergyMeasuredObjective#ENERGY_ATTR} attribute; or, when no trial was measured, the CPU-time
 * estimates ({@code estimated_energy_wh} / {@code estimated_co2_g}), flagged {@code estimated}.
 *
 * @param energyWh total watt-hours
 * @param co2Grams total grams CO2e
 * @param measuredTrials how many trials have an energy value
 * @param estimated true when these are CPU-time estimates, not measurements
 */
public record EnergyTotals(
    double energyWh, double co2Grams, int measuredTrials, boolean estimated) {

  /** Measured totals. */
  public EnergyTotals(double energyWh, double co2Grams, int measuredTrials) {
    this(energyWh, co2Grams, measuredTrials, false);
  }

  /**
   * The measured totals of {@code trials}, or when no trial was measured their estimated totals;
   * empty when no trial has either.
   */
  public static Optional<EnergyTotals> of(List<FrozenTrial> trials) {
    Optional<EnergyTotals> measured = measured(trials);
    return measured.isPresent() ? measured : estimated(trials);
  }

  /** The totals of the trials' measured {@code energy_wh} / {@code co2_g}. */
  public static Optional<EnergyTotals> measured(List<FrozenTrial> trials) {
    return sum(trials, EnergyMetrics.ENERGY_WH, EnergyMetrics.CO2_G, false);
  }

  /** The totals of the trials' CPU-time estimates. */
  public static Optional<EnergyTotals> estimated(List<FrozenTrial> trials) {
    return sum(trials, EnergyMetrics.ESTIMATED_ENERGY_WH, EnergyMetrics.ESTIMATED_CO2_G, true);
  }

  private static Optional<EnergyTotals> sum(
      List<FrozenTrial> trials, String energyMetric, String co2Metric, boolean estimated) {
    double wh = 0;
    double co2 = 0;
    int n = 0;
    for (FrozenTrial t : trials) {
      Optional<Double> e = value(t, energyMetric);
      if (e.isEmpty()) {
        continue;
      }
      n++;
      wh += e.get();
      co2 += value(t, co2Metric).orElse(0.0);
    }
    return n == 0 ? Optional.empty() : Optional.of(new EnergyTotals(wh, co2, n, estimated));
  }

  /** A trial's energy metric, from its metrics or (failed trials) its energy attribute. */
  public static Optional<Double> value(FrozenTrial t, String metric) {
    Double v = t.metrics().get(metric);
    if (v != null && Double.isFinite(v)) {
      return Optional.of(v);
    }
    if (t.userAttrs().get(EnergyMeasuredObjective.ENERGY_ATTR) instanceof Map<?, ?> attr
        && attr.get(metric) instanceof Number number
        && Double.isFinite(number.doubleValue())) {
      return Optional.of(number.doubleValue());
    }
    return Optional.empty();
  }

  /**
   * {@code 0.0417 Wh, 0.0198 g CO2e over 3 trials}, or {@code estimated 0.0417 Wh, ... (from CPU
   * time, not measured)}.
   */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%s%.4g Wh, %.4g g CO2e over %d trial%s%s",
        estimated ? "estimated " : "",
        energyWh,
        co2Grams,
        measuredTrials,
        measuredTrials == 1 ? "" : "s",
        estimated ? " (from CPU time, not measured)" : "");
  }
}
