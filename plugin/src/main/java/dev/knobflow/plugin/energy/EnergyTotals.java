package dev.knobflow.plugin.energy;

import dev.knobflow.optimizers.FrozenTrial;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study's energy and CO2 summed over its trials: completed trials' {@code energy_wh} / {@code
 * co2_g} metrics, and the energy failed or pruned trials kept in their {@value
 * EnergyMeasuredObjective#ENERGY_ATTR} attribute.
 *
 * @param energyWh total watt-hours
 * @param co2Grams total grams CO2e
 * @param measuredTrials how many trials have an energy value
 */
public record EnergyTotals(double energyWh, double co2Grams, int measuredTrials) {

  /** The totals of {@code trials}; empty when no trial has an energy value. */
  public static Optional<EnergyTotals> of(List<FrozenTrial> trials) {
    double wh = 0;
    double co2 = 0;
    int n = 0;
    for (FrozenTrial t : trials) {
      Optional<Double> e = value(t, EnergyMetrics.ENERGY_WH);
      if (e.isEmpty()) {
        continue;
      }
      n++;
      wh += e.get();
      co2 += value(t, EnergyMetrics.CO2_G).orElse(0.0);
    }
    return n == 0 ? Optional.empty() : Optional.of(new EnergyTotals(wh, co2, n));
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

  /** {@code 0.0417 Wh, 0.0198 g CO2e over 3 trials}. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%.4g Wh, %.4g g CO2e over %d trial%s",
        energyWh,
        co2Grams,
        measuredTrials,
        measuredTrials == 1 ? "" : "s");
  }
}
