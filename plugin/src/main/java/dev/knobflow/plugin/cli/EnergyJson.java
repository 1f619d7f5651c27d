package dev.knobflow.plugin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.plugin.energy.EnergyTotals;
import java.util.List;
import java.util.Optional;

/** The {@code totals} object of {@code show --format json}. */
final class EnergyJson {
  private EnergyJson() {}

  /**
   * {@code {"energy_wh": 0.21, "co2_g": 0.1, "energy_trials": 5}}; nulls when nothing measured.
   * CPU-time estimates are apart, never in those: {@code "estimated_energy_wh"}, {@code
   * "estimated_co2_g"}, {@code "estimated_energy_trials"} when any trial has one.
   */
  static ObjectNode totals(ObjectMapper json, List<FrozenTrial> trials) {
    ObjectNode n = json.createObjectNode();
    Optional<EnergyTotals> totals = EnergyTotals.measured(trials);
    if (totals.isPresent()) {
      n.put("energy_wh", totals.get().energyWh());
      n.put("co2_g", totals.get().co2Grams());
    } else {
      n.putNull("energy_wh");
      n.putNull("co2_g");
    }
    n.put("energy_trials", totals.map(EnergyTotals::measuredTrials).orElse(0));
    EnergyTotals.estimated(trials)
        .ifPresent(
            e -> {
              n.put("estimated_energy_wh", e.energyWh());
              n.put("estimated_co2_g", e.co2Grams());
              n.put("estimated_energy_trials", e.measuredTrials());
            });
    return n;
  }
}
