package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ParetoFronts;
import dev.knobflow.optimizers.TrialState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** Prints a study's trials and Pareto front as text tables. */
final class StudyReport {
  private final List<Objective> objectives;
  private final List<FrozenTrial> trials;
  private final List<FrozenTrial> front;
  private final boolean budgets;

  StudyReport(List<Objective> objectives, List<FrozenTrial> trials) {
    this.objectives = List.copyOf(objectives);
    this.trials = List.copyOf(trials);
    this.front = ParetoTrials.front(trials, objectives);
    this.budgets = ParetoFronts.hasBudgets(trials);
  }

  /** Whether the study is multi-fidelity (a trial had a budget): tables get a budget column. */
  boolean hasBudgets() {
    return budgets;
  }

  /** The highest budget any trial reached, as text, or empty. */
  String topBudget() {
    return ParetoFronts.topBudget(trials).stream().mapToObj(Formats::number).findFirst().orElse("");
  }

  List<FrozenTrial> front() {
    return front;
  }

  /** {@code COMPLETE 8, FAIL 2}. */
  static String countsByState(Map<TrialState, ? extends Number> counts) {
    StringJoiner j = new StringJoiner(", ");
    for (TrialState s : TrialState.values()) {
      Number n = counts.get(s);
      if (n != null && n.longValue() > 0) {
        j.add(s + " " + n);
      }
    }
    return j.length() == 0 ? "none" : j.toString();
  }

  Map<TrialState, Long> counts() {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    trials.forEach(t -> counts.merge(t.state(), 1L, Long::sum));
    return counts;
  }

  /** Every trial, Pareto-optimal ones marked {@code *}. */
  void printTrials(PrintWriter out) {
    List<String> params = paramNames(trials);
    List<String> header = new ArrayList<>(List.of("", "#", "state"));
    if (budgets) {
      header.add("budget");
    }
    objectives.forEach(o -> header.add(o.name()));
    header.addAll(params);
    List<String> energy = EnergyColumns.of(objectives, trials);
    header.addAll(energy);
    header.add("duration");
    header.add("note");
    TextTable table = new TextTable(header);
    Set<Integer> optimal = new LinkedHashSet<>();
    front.forEach(t -> optimal.add(t.number()));
    for (FrozenTrial t : trials) {
      List<String> row = new ArrayList<>();
      row.add(optimal.contains(t.number()) ? "*" : "");
      row.add(Integer.toString(t.number()));
      row.add(t.state().toString());
      if (budgets) {
        row.add(budget(t));
      }
      addValues(row, t);
      for (String p : params) {
        row.add(t.params().containsKey(p) ? Formats.value(t.params().get(p)) : "");
      }
      energy.forEach(m -> row.add(EnergyColumns.cell(t, m)));
      row.add(t.duration().map(Formats::duration).orElse(""));
      row.add(note(t));
      table.add(row);
    }
    table.print(out, "");
  }

  /** The Pareto front sorted by the first objective, best first. */
  void printFront(PrintWriter out) {
    printFront(out, front);
  }

  /** One front per budget, lowest budget first ({@link ParetoFronts#perBudget}). */
  void printFrontsPerBudget(PrintWriter out) {
    List<FrozenTrial> completed =
        trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
    ParetoFronts.perBudget(completed, objectives)
        .forEach(
            (budget, f) -> {
              out.println(
                  (budget.isNaN() ? "No budget" : "Budget " + Formats.number(budget))
                      + ": "
                      + f.size()
                      + " trial"
                      + (f.size() == 1 ? "" : "s"));
              printFront(out, f);
            });
  }

  private void printFront(PrintWriter out, List<FrozenTrial> front) {
    List<FrozenTrial> sorted = ParetoTrials.sortedByFirstObjective(front, objectives);
    List<String> params = paramNames(sorted);
    List<String> header = new ArrayList<>(List.of("#"));
    if (budgets) {
      header.add("budget");
    }
    objectives.forEach(o -> header.add(o.name()));
    header.addAll(params);
    TextTable table = new TextTable(header);
    for (FrozenTrial t : sorted) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(t.number()));
      if (budgets) {
        row.add(budget(t));
      }
      addValues(row, t);
      for (String p : params) {
        row.add(t.params().containsKey(p) ? Formats.value(t.params().get(p)) : "");
      }
      table.add(row);
    }
    table.print(out, "  ");
  }

  private void addValues(List<String> row, FrozenTrial t) {
    for (int i = 0; i < objectives.size(); i++) {
      row.add(
          t.state() == TrialState.COMPLETE && i < t.values().size()
              ? Formats.number(t.values().get(i))
              : "-");
    }
  }

  private static String budget(FrozenTrial t) {
    return t.budgetIfAssigned().stream().mapToObj(Formats::number).findFirst().orElse("-");
  }

  private static String note(FrozenTrial t) {
    if (t.state() == TrialState.FAIL || t.state() == TrialState.PRUNED) {
      String reason = t.failReason() == null ? "" : t.failReason();
      return reason.length() > 80 ? reason.substring(0, 77) + "..." : reason;
    }
    if (!t.isFeasible()) {
      return "infeasible (violation " + Formats.number(t.totalViolation()) + ")";
    }
    return "";
  }

  private static List<String> paramNames(List<FrozenTrial> trials) {
    Set<String> names = new LinkedHashSet<>();
    trials.forEach(t -> names.addAll(t.params().keySet()));
    return List.copyOf(names);
  }

  /** A title line for the objectives: {@code accuracy (maximize), latency_ms (minimize)}. */
  static String objectives(List<Objective> objectives) {
    StringJoiner j = new StringJoiner(", ");
    objectives.forEach(o -> j.add(o.name() + " (" + o.direction().id() + ")"));
    return j.toString();
  }
}
