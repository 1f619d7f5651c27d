package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.BoundPileUp;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.SpaceOverride;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.plugin.energy.EnergyTotals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The numbers and tables both report formats show, computed once. */
final class ReportFacts {

  final StudyData data;
  final ParetoAnalysis pareto;
  final Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
  final Optional<EnergyTotals> energy;
  final List<FrozenTrial> best;
  final List<String> params;
  final List<String> advice = new ArrayList<>();
  final List<BoundPileUp> bounds;

  ReportFacts(StudyData data) {
    this.data = data;
    this.pareto = ParetoAnalysis.of(data);
    for (TrialState s : TrialState.values()) {
      counts.put(s, 0);
    }
    data.trials().forEach(t -> counts.merge(t.state(), 1, Integer::sum));
    this.energy = EnergyTotals.of(data.trials());
    this.best = data.isMultiObjective() ? pareto.front() : bestSingle(data, pareto);
    LinkedHashSet<String> names = new LinkedHashSet<>();
    best.forEach(t -> names.addAll(t.params().keySet()));
    this.params = List.copyOf(names);
    this.bounds = BoundPileUp.find(data.trials(), data.objectives());
    for (SpaceOverride o : SpaceOverrides.fromStudyAttrs(data.attrs()).byParam().values()) {
      Map<String, Object> cause = o.cause();
      advice.add(
          o.param()
              + " narrowed to ["
              + o.low()
              + ", "
              + o.high()
              + "]"
              + (cause.isEmpty()
                  ? ""
                  : " after trial "
                      + cause.getOrDefault("trial", "?")
                      + ", step "
                      + cause.getOrDefault("step", "?")
                      + " ("
                      + cause.getOrDefault("diagnosis", "?")
                      + "): "
                      + cause.getOrDefault("summary", "")));
    }
  }

  /** The best feasible trial, compared at the highest budget reached. */
  private static List<FrozenTrial> bestSingle(StudyData data, ParetoAnalysis pareto) {
    Objective o = data.objectives().get(0);
    FrozenTrial best = null;
    for (int i = 0; i < pareto.trials().size(); i++) {
      FrozenTrial t = pareto.trials().get(i);
      if (t.isFeasible()
          && pareto.isAtTopBudget(i)
          && (best == null
              || o.direction().toMinimization(t.values().get(0))
                  < o.direction().toMinimization(best.values().get(0)))) {
        best = t;
      }
    }
    return best == null ? List.of() : List.of(best);
  }

  String countsLine() {
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (s, n) -> {
          if (n > 0) {
            parts.add(n + " " + s.name().toLowerCase(Locale.ROOT));
          }
        });
    long fallbacks =
        data.trials().stream()
            .filter(t -> t.systemAttrs().containsKey(Sampler.FALLBACK_ATTR))
            .count();
    return data.trials().size()
        + " trials"
        + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")")
        + (fallbacks == 0
            ? ""
            : "; "
                + fallbacks
                + " sampled at random after a numerical failure of the sampler's model");
  }

  String objectivesLine() {
    return String.join(
        ", ",
        data.objectives().stream().map(o -> o.name() + " (" + o.direction().id() + ")").toList());
  }

  String bestHeading() {
    return data.isMultiObjective()
        ? "Pareto front ("
            + best.size()
            + " trial"
            + (best.size() == 1 ? "" : "s")
            + ", sorted by "
            + data.objectives().get(0).name()
            + ")"
        : "Best trial";
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return String.format(Locale.ROOT, "%.6g", v)
        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replace(".e", "e")
        .replaceAll("\\.$", "");
  }

  static String value(Object v) {
    return v instanceof Double d ? number(d) : v instanceof Float f ? number(f) : String.valueOf(v);
  }
}
