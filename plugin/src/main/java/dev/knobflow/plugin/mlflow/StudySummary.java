package dev.knobflow.plugin.mlflow;

import dev.knobflow.optimizers.BoundPileUp;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ParetoFronts;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.plugin.energy.EnergyTotals;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a study's parent run shows: trial counts by state, the best trial (one objective) or the
 * Pareto front (several), as metrics, tags and a short Markdown description.
 *
 * @param study the study's name
 * @param objectives the objectives
 * @param counts trials by state
 * @param best the best trial (single objective) or the Pareto front, in number order
 * @param energy the study's measured energy and CO2 totals, if any trial was metered
 * @param budget where each of the study's budgets stands (empty without a budget)
 * @param fallbacks trials sampled at random after a numerical failure of the sampler's model
 * @param bounds parameters whose best trials pile up at a bound
 */
record StudySummary(
    String study,
    List<Objective> objectives,
    Map<TrialState, Long> counts,
    List<FrozenTrial> best,
    Optional<EnergyTotals> energy,
    List<dev.knobflow.optimizers.budget.BudgetStatus> budget,
    long fallbacks,
    List<BoundPileUp> bounds) {

  /** Summarises {@code view} as it is now. */
  static StudySummary of(StudyView view) {
    List<FrozenTrial> trials = view.trials();
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    for (FrozenTrial t : trials) {
      counts.merge(t.state(), 1L, Long::sum);
    }
    List<FrozenTrial> best;
    if (view instanceof Study s) {
      best = s.objectives().size() == 1 ? s.bestTrial().stream().toList() : s.paretoFront();
    } else {
      List<FrozenTrial> front =
          ParetoFronts.of(view.trials(Set.of(TrialState.COMPLETE)), view.objectives());
      best = view.objectives().size() == 1 && front.size() > 1 ? List.of(front.get(0)) : front;
    }
    List<dev.knobflow.optimizers.budget.BudgetStatus> budget =
        view instanceof Study s ? s.budgetStatus() : List.of();
    long fallbacks =
        trials.stream().filter(t -> t.systemAttrs().containsKey(Sampler.FALLBACK_ATTR)).count();
    return new StudySummary(
        view.name(),
        view.objectives(),
        counts,
        best,
        EnergyTotals.of(trials),
        budget,
        fallbacks,
        BoundPileUp.find(trials, view.objectives()));
  }

  /** Metrics for the parent run: counts by state and, with several objectives, the front's size. */
  Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    long total = 0;
    for (TrialState s : List.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)) {
      long n = counts.getOrDefault(s, 0L);
      m.put("trials_" + s.name().toLowerCase(Locale.ROOT), (double) n);
    }
    for (long n : counts.values()) {
      total += n;
    }
    m.put("trials_total", (double) total);
    if (fallbacks > 0) {
      m.put("trials_sampler_fallback", (double) fallbacks);
    }
    // One objective's best value is the study run's stepped `best/<objective>` metric, logged as
    // trials finish (MlflowTrackingListener); no second copy here.
    if (objectives.size() > 1) {
      m.put("pareto_front_size", (double) best.size());
    }
    energy.ifPresent(
        e -> {
          String prefix = e.estimated() ? "total_estimated_" : "total_";
          m.put(prefix + "energy_wh", e.energyWh());
          m.put(prefix + "co2_g", e.co2Grams());
        });
    for (var b : budget) {
      m.put("budget_" + b.name() + "_spent", b.spent());
      m.put("budget_" + b.name() + "_remaining", b.remaining());
    }
    return m;
  }

  /**
   * Tags for the parent run: the best trial's number or the front's numbers, and a bound warning
   * per parameter whose best trials pile up at a bound.
   */
  Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    bounds.forEach(b -> tags.put(KnobflowTags.BOUND_WARNING_PREFIX + b.param(), b.describe()));
    if (best.isEmpty()) {
      return tags;
    }
    if (objectives.size() == 1) {
      tags.put(KnobflowTags.BEST_TRIAL, Integer.toString(best.get(0).number()));
    } else {
      tags.put(
          KnobflowTags.PARETO_TRIALS,
          best.stream().map(t -> Integer.toString(t.number())).collect(Collectors.joining(",")));
    }
    return tags;
  }

  /** A short Markdown description ({@code mlflow.note.content}). */
  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Knobflow study `").append(study).append("`\n\n");
    md.append("Objectives: ")
        .append(
            objectives.stream()
                .map(o -> o.name() + " (" + directionWord(o.direction()) + ")")
                .collect(Collectors.joining(", ")))
        .append("\n\n");
    md.append("Trials: ")
        .append(
            counts.isEmpty()
                ? "none"
                : counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")))
        .append("\n\n");
    if (fallbacks > 0) {
      md.append("Sampled at random after a numerical failure of the sampler's model: ")
          .append(fallbacks)
          .append(" trials\n\n");
    }
    bounds.forEach(b -> md.append("Range to check: ").append(b.describe()).append("\n\n"));
    energy.ifPresent(e -> md.append("Energy: ").append(e.describe()).append("\n\n"));
    budget.forEach(b -> md.append("Budget ").append(b.describe()).append("\n\n"));
    if (best.isEmpty()) {
      md.append("No trial completed yet.\n");
    } else if (objectives.size() == 1) {
      FrozenTrial t = best.get(0);
      md.append("Best trial ")
          .append(t.number())
          .append(budgetText(t))
          .append(": ")
          .append(objectives.get(0).name())
          .append(" = ")
          .append(number(t.value()))
          .append("\n\n")
          .append("Params: ")
          .append(params(t))
          .append('\n');
    } else {
      boolean budgets = ParetoFronts.hasBudgets(best);
      md.append("Pareto front: ").append(best.size()).append(" trials");
      if (budgets) {
        md.append(", at the highest budget reached");
      }
      md.append("\n\n| trial | ");
      if (budgets) {
        md.append("budget | ");
      }
      objectives.forEach(o -> md.append(o.name()).append(" | "));
      md.append("params |\n|---|");
      if (budgets) {
        md.append("---|");
      }
      objectives.forEach(o -> md.append("---|"));
      md.append("---|\n");
      for (FrozenTrial t : best.stream().limit(20).toList()) {
        md.append("| ").append(t.number()).append(" | ");
        if (budgets) {
          md.append(t.budgetIfAssigned().isPresent() ? budget(t.budget()) : "-").append(" | ");
        }
        t.values().forEach(v -> md.append(number(v)).append(" | "));
        md.append(params(t)).append(" |\n");
      }
      if (best.size() > 20) {
        md.append("\n(").append(best.size() - 20).append(" more)\n");
      }
    }
    return md.toString();
  }

  /** {@code " (budget 27)"} for a trial a scheduler gave a budget, else empty. */
  private static String budgetText(FrozenTrial t) {
    return t.budgetIfAssigned().isPresent() ? " (budget " + budget(t.budget()) + ")" : "";
  }

  private static String directionWord(Direction d) {
    return d == Direction.MAXIMIZE ? "maximize" : "minimize";
  }

  private static String params(FrozenTrial t) {
    return t.params().entrySet().stream()
        .map(e -> e.getKey() + "=" + ParamText.of(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String budget(double b) {
    return b == Math.rint(b) && Math.abs(b) < 1e15 ? Long.toString((long) b) : number(b);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
