package dev.knobflow.plugin.energy;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.budget.CostMeter;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The {@link CostMeter}s of study budgets, read from what {@link EnergyMeasuredObjective} stores
 * with every trial (completed, pruned or failed): {@code energy_kwh} and {@code co2_kg} from the
 * trial's {@code energy_wh} / {@code co2_g}, and {@code gpu_hours} as the trial's duration times
 * the number of GPUs it was metered on (its {@code energy.devices}: {@code gpu:<i>} ids). Where
 * nothing measured a trial, its CPU-time estimate ({@link EstimatedEnergyObjective}) counts. A
 * trial that was not metered costs nothing known, so budgets other than wall time need energy
 * metering on. A PBT study's {@code trained} limit is {@link PbtScheduler#trainedBudget()}.
 *
 * <pre>{@code
 * StudyBudget budget = StudyBudget.builder()
 *     .limit(BudgetMeters.gpuHours(), 2)
 *     .limit(BudgetMeters.energyKwh(), 1.5)
 *     .wall(Duration.ofHours(3))
 *     .build();
 * }</pre>
 */
public final class BudgetMeters {

  private BudgetMeters() {}

  /**
   * kWh from the trial's {@code energy_wh}, or where nothing measured it its CPU-time estimate
   * {@code estimated_energy_wh}.
   */
  public static CostMeter energyKwh() {
    return meter(
        "energy_kwh", t -> metric(t, EnergyMetrics.ENERGY_WH, EnergyMetrics.ESTIMATED_ENERGY_WH));
  }

  /** kg CO2e from the trial's {@code co2_g}, or its estimate {@code estimated_co2_g}. */
  public static CostMeter co2Kg() {
    return meter("co2_kg", t -> metric(t, EnergyMetrics.CO2_G, EnergyMetrics.ESTIMATED_CO2_G));
  }

  /** GPU-hours: the trial's duration times the GPUs it used. */
  public static CostMeter gpuHours() {
    return meter(
        "gpu_hours",
        t -> {
          Optional<Duration> d = t.duration();
          if (d.isEmpty()
              || !(t.userAttrs().get(EnergyMeasuredObjective.ENERGY_ATTR) instanceof Map<?, ?> a)
              || !(a.get("devices") instanceof List<?> devices)) {
            return OptionalDouble.empty();
          }
          long gpus = devices.stream().filter(x -> String.valueOf(x).startsWith("gpu:")).count();
          return OptionalDouble.of(gpus * d.get().toMillis() / 3.6e6);
        });
  }

  /**
   * The budget of a study file's {@code budget:} limits (wall time on the system clock; {@code
   * trained}, PBT's trained units, as {@link PbtScheduler#trainedBudget()}).
   */
  public static StudyBudget budget(
      OptionalDouble gpuHours,
      OptionalDouble energyKwh,
      OptionalDouble co2Kg,
      Optional<Duration> wall,
      OptionalDouble trained) {
    StudyBudget.Builder b = StudyBudget.builder();
    gpuHours.ifPresent(v -> b.limit(gpuHours(), v));
    energyKwh.ifPresent(v -> b.limit(energyKwh(), v));
    co2Kg.ifPresent(v -> b.limit(co2Kg(), v));
    trained.ifPresent(v -> b.limit(PbtScheduler.trainedBudget(), v));
    wall.ifPresent(b::wall);
    return b.build();
  }

  /**
   * The budget a study stored as its {@value StudyBudget#STUDY_ATTR} attribute ({@code show} reads
   * it back to report spending); unknown names are skipped. Empty when there is none.
   */
  public static Optional<StudyBudget> fromStudyAttr(Object attr) {
    if (!(attr instanceof Map<?, ?> limits) || limits.isEmpty()) {
      return Optional.empty();
    }
    StudyBudget.Builder b = StudyBudget.builder();
    for (Map.Entry<?, ?> e : limits.entrySet()) {
      if (!(e.getValue() instanceof Number n) || !(n.doubleValue() > 0)) {
        continue;
      }
      double v = n.doubleValue();
      switch (String.valueOf(e.getKey())) {
        case "gpu_hours" -> b.limit(gpuHours(), v);
        case "energy_kwh" -> b.limit(energyKwh(), v);
        case "co2_kg" -> b.limit(co2Kg(), v);
        case PbtScheduler.TRAINED_BUDGET -> b.limit(PbtScheduler.trainedBudget(), v);
        case StudyBudget.WALL_HOURS -> b.wall(Duration.ofMillis(Math.round(v * 3.6e6)));
        default -> {}
      }
    }
    StudyBudget budget = b.build();
    return budget.isEmpty() ? Optional.empty() : Optional.of(budget);
  }

  private static OptionalDouble metric(FrozenTrial t, String name, String estimate) {
    Optional<Double> v = EnergyTotals.value(t, name).or(() -> EnergyTotals.value(t, estimate));
    return v.isPresent() ? OptionalDouble.of(v.get() / 1000) : OptionalDouble.empty();
  }

  private static CostMeter meter(String name, Function<FrozenTrial, OptionalDouble> cost) {
    return new CostMeter() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public OptionalDouble cost(FrozenTrial trial) {
        return cost.apply(trial);
      }
    };
  }
}
