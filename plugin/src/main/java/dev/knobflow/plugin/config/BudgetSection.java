package dev.knobflow.plugin.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Parses {@code budget: {gpu_hours: 2, energy_kwh: 1.5, co2_kg: 0.4, wall: 3h, trained: 144}} (any
 * subset); each amount must be a positive number, {@code wall} a duration. {@code trained} (the
 * budget units a PBT population trains in all) needs {@code scheduler: {type: pbt}}.
 */
final class BudgetSection {

  static final List<String> KEYS = List.of("gpu_hours", "energy_kwh", "co2_kg", "wall", "trained");

  private BudgetSection() {}

  /** The budget of the study file, {@link BudgetSpec#none()} without a section. */
  static BudgetSpec parse(Section top, boolean energyEnabled, SchedulerSpec scheduler) {
    if (!top.has("budget")) {
      return BudgetSpec.none();
    }
    Optional<Section> section = Section.of(top.raw("budget"), "budget", top.problems());
    if (section.isEmpty()) {
      return BudgetSpec.none();
    }
    Section s = section.get();
    s.allowOnly(KEYS);
    BudgetSpec spec =
        new BudgetSpec(
            positive(s, "gpu_hours"),
            positive(s, "energy_kwh"),
            positive(s, "co2_kg"),
            s.duration("wall").filter(d -> !d.isZero() && !d.isNegative()),
            positive(s, "trained"));
    if (s.keys().isEmpty()) {
      top.problem("budget", "set at least one of " + String.join(", ", KEYS));
    }
    if (spec.needsMetering() && !energyEnabled) {
      top.problem(
          "budget",
          "gpu_hours, energy_kwh and co2_kg are counted from the energy metering, which"
              + " energy.enabled: false turns off");
    }
    if (s.has("trained") && !"pbt".equals(scheduler.type())) {
      s.problem(
          "trained",
          "counts the budget units a PBT population trains, so it needs scheduler: {type: pbt,"
              + " ...}; the study's scheduler is "
              + ("none".equals(scheduler.type()) ? "none" : "'" + scheduler.type() + "'"));
    }
    return spec;
  }

  private static OptionalDouble positive(Section s, String key) {
    Optional<Double> v = s.number(key);
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (!(v.get() > 0) || v.get().isInfinite()) {
      s.problem(key, "must be a positive number, got " + v.get());
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(v.get());
  }
}
