package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.plugin.energy.EnergyMetrics;
import dev.knobflow.plugin.energy.EnergyTotals;
import java.util.ArrayList;
import java.util.List;

/** The per-trial energy columns of {@code show}: those present and not already objectives. */
final class EnergyColumns {
  private static final List<String> SHOWN =
      List.of(
          EnergyMetrics.ENERGY_WH,
          EnergyMetrics.CO2_G,
          EnergyMetrics.AVG_POWER_W,
          EnergyMetrics.ESTIMATED_ENERGY_WH,
          EnergyMetrics.ESTIMATED_CO2_G);

  private EnergyColumns() {}

  static List<String> of(List<Objective> objectives, List<FrozenTrial> trials) {
    List<String> columns = new ArrayList<>();
    for (String m : SHOWN) {
      boolean objective = objectives.stream().anyMatch(o -> o.name().equals(m));
      if (!objective && trials.stream().anyMatch(t -> EnergyTotals.value(t, m).isPresent())) {
        columns.add(m);
      }
    }
    return columns;
  }

  static String cell(FrozenTrial t, String metric) {
    return EnergyTotals.value(t, metric).map(Formats::number).orElse("");
  }
}
