package dev.knobflow.plugin.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.plugin.energy.EnergyMetrics;
import dev.knobflow.plugin.energy.EnergyTotals;
import dev.knobflow.plugin.importance.Importances;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The study as the interactive report's charts read it: one JSON document built from the same
 * {@link ReportFacts} as every other view. Non-finite numbers are {@code null}; trial times are
 * epoch milliseconds.
 */
final class ReportJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many of the most important parameters get slice and contour plots. */
  static final int IMPORTANT_PARAMS = 4;

  private ReportJson() {}

  /** The JSON text, safe to put inside a {@code <script>} element. */
  static String of(ReportFacts facts, List<Importances> importances) {
    try {
      // '<' only occurs inside strings, where the escape keeps "</script>" from ending the element.
      return JSON.writeValueAsString(tree(facts, importances)).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report's data: " + e.getMessage(), e);
    }
  }

  static ObjectNode tree(ReportFacts facts, List<Importances> importances) {
    StudyData data = facts.data;
    ParetoAnalysis pareto = facts.pareto;
    ObjectNode root = JSON.createObjectNode();
    root.put("study", data.name());
    ArrayNode objectives = root.putArray("objectives");
    for (Objective o : data.objectives()) {
      objectives.addObject().put("name", o.name()).put("direction", o.direction().id());
    }
    Map<String, Distribution> space = space(data.trials());
    ArrayNode params = root.putArray("params");
    space.forEach((name, d) -> params.add(param(name, d)));
    pareto
        .topBudget()
        .ifPresentOrElse(b -> root.put("topBudget", b), () -> root.putNull("topBudget"));

    if (data.isMultiObjective()) {
      double[][] hv = pareto.hypervolumeHistory();
      if (hv[0].length > 0) {
        ArrayNode ref = root.putArray("referencePoint");
        double[] minimised = pareto.referencePoint();
        for (int j = 0; j < minimised.length; j++) {
          // Back from minimisation form to the objective's own direction.
          number(ref, data.objectives().get(j).direction().toMinimization(minimised[j]));
        }
        ObjectNode h = root.putObject("hypervolume");
        ArrayNode trials = h.putArray("trials");
        ArrayNode values = h.putArray("values");
        for (int i = 0; i < hv[0].length; i++) {
          trials.add((int) hv[0][i]);
          number(values, hv[1][i]);
        }
      }
    }

    ArrayNode imp = root.putArray("importance");
    for (Importances i : importances) {
      ObjectNode n = imp.addObject().put("objective", i.objective());
      ObjectNode by = n.putObject("byParam");
      sortedByImportance(i).forEach(p -> by.put(p, i.of(p)));
    }
    ArrayNode important = root.putArray("importantParams");
    List<String> ranked =
        importances.isEmpty()
            ? new ArrayList<>(space.keySet())
            : sortedByImportance(importances.get(0));
    ranked.stream().filter(space::containsKey).limit(IMPORTANT_PARAMS).forEach(important::add);

    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < pareto.trials().size(); i++) {
      index.put(pareto.trials().get(i).number(), i);
    }
    Map<Integer, Integer> lanes = lanes(data.trials());
    ArrayNode trials = root.putArray("trials");
    for (FrozenTrial t : data.trials()) {
      trials.add(trial(t, data, pareto, index.get(t.number()), lanes.get(t.number())));
    }
    return root;
  }

  private static ObjectNode trial(
      FrozenTrial t, StudyData data, ParetoAnalysis pareto, Integer analysed, Integer lane) {
    ObjectNode n = JSON.createObjectNode();
    n.put("number", t.number());
    n.put("state", t.state().name());
    ArrayNode values = n.putArray("values");
    if (t.state() == TrialState.COMPLETE && t.values().size() == data.objectives().size()) {
      t.values().forEach(v -> number(values, v));
    }
    ObjectNode params = n.putObject("params");
    t.params().forEach((k, v) -> put(params, k, v));
    if (t.budgetIfAssigned().isPresent()) {
      n.put("budget", t.budgetIfAssigned().getAsDouble());
    } else {
      n.putNull("budget");
    }
    time(n, "start", t.started());
    time(n, "end", t.completed());
    t.duration()
        .ifPresentOrElse(
            d -> n.put("duration", d.toMillis() / 1000.0), () -> n.putNull("duration"));
    n.put("feasible", t.isFeasible());
    n.put("front", analysed != null && pareto.isParetoOptimal(analysed));
    n.put("atTopBudget", analysed == null || pareto.isAtTopBudget(analysed));
    ArrayNode curve = n.putArray("intermediate");
    t.intermediateValues()
        .forEach(
            (step, v) -> {
              if (!v.isEmpty() && Double.isFinite(v.get(0))) {
                curve.addArray().add(step).add(v.get(0));
              }
            });
    energy(n, "energyWh", t, EnergyMetrics.ENERGY_WH, data);
    energy(n, "co2g", t, EnergyMetrics.CO2_G, data);
    if (lane != null) {
      n.put("lane", lane);
    }
    if (t.failReason() != null && t.state() != TrialState.COMPLETE) {
      n.put("reason", t.failReason());
    }
    population(n, t);
    return n;
  }

  /**
   * A population-based training segment's member, generation and, where it exploited, the member
   * and trial it copied ({@code pbt: {member, generation, exploit: {fromMember, fromTrial}}}).
   */
  private static void population(ObjectNode n, FrozenTrial t) {
    Map<String, Object> attrs = t.systemAttrs();
    if (!(attrs.get(PbtScheduler.MEMBER_ATTR) instanceof Number member)
        || attrs.containsKey(PbtScheduler.SPARE_ATTR)) {
      return;
    }
    ObjectNode pbt = n.putObject("pbt").put("member", member.intValue());
    if (attrs.get(PbtScheduler.GENERATION_ATTR) instanceof Number generation) {
      pbt.put("generation", generation.intValue());
    }
    if (attrs.get(PbtScheduler.EXPLOIT_ATTR) instanceof Map<?, ?> exploit
        && exploit.get("from_member") instanceof Number fromMember
        && exploit.get("from_trial") instanceof Number fromTrial) {
      pbt.putObject("exploit")
          .put("fromMember", fromMember.intValue())
          .put("fromTrial", fromTrial.intValue());
    }
  }

  /** A trial's energy: its objective value when energy is an objective, else its metric. */
  private static void energy(
      ObjectNode n, String key, FrozenTrial t, String metric, StudyData data) {
    Optional<Double> v = Optional.empty();
    for (int j = 0; j < data.objectives().size(); j++) {
      if (data.objectives().get(j).name().equals(metric) && j < t.values().size()) {
        v = Optional.of(t.values().get(j));
      }
    }
    if (v.isEmpty()) {
      v = EnergyTotals.value(t, metric);
    }
    if (v.isPresent() && Double.isFinite(v.get())) {
      n.put(key, v.get());
    }
  }

  /**
   * Which trials ran side by side: each trial with a start time takes the lowest lane free when it
   * started (a worker slot; storages do not record which process ran a trial).
   */
  static Map<Integer, Integer> lanes(List<FrozenTrial> trials) {
    List<FrozenTrial> timed =
        trials.stream()
            .filter(t -> t.started() != null)
            .sorted(Comparator.comparing(FrozenTrial::started))
            .toList();
    List<Instant> busyUntil = new ArrayList<>();
    Map<Integer, Integer> lanes = new LinkedHashMap<>();
    for (FrozenTrial t : timed) {
      Instant end = t.completed() != null ? t.completed() : t.started();
      int lane = 0;
      while (lane < busyUntil.size() && busyUntil.get(lane).isAfter(t.started())) {
        lane++;
      }
      if (lane == busyUntil.size()) {
        busyUntil.add(end);
      } else {
        busyUntil.set(lane, end);
      }
      lanes.put(t.number(), lane);
    }
    return lanes;
  }

  private static List<String> sortedByImportance(Importances i) {
    return i.byParam().keySet().stream()
        .sorted(Comparator.comparingDouble((String p) -> -i.of(p)))
        .toList();
  }

  /** Each parameter's distribution, as the latest trial that suggested it declared it. */
  private static Map<String, Distribution> space(List<FrozenTrial> trials) {
    Map<String, Distribution> space = new LinkedHashMap<>();
    trials.forEach(t -> space.putAll(t.distributions()));
    return space;
  }

  private static ObjectNode param(String name, Distribution d) {
    ObjectNode n = JSON.createObjectNode().put("name", name);
    if (d instanceof FloatDistribution f) {
      n.put("kind", "float").put("log", f.log()).put("low", f.low()).put("high", f.high());
    } else if (d instanceof IntDistribution i) {
      n.put("kind", "int").put("log", i.log()).put("low", i.low()).put("high", i.high());
    } else if (d instanceof CategoricalDistribution c) {
      n.put("kind", "categorical").put("log", false);
      ArrayNode choices = n.putArray("choices");
      c.choices().forEach(v -> choices.add(String.valueOf(v)));
    }
    return n;
  }

  private static void put(ObjectNode n, String key, Object v) {
    if (v instanceof Number num && !(v instanceof Float) && !(v instanceof Double)) {
      n.put(key, num.longValue());
    } else if (v instanceof Number num) {
      double d = num.doubleValue();
      if (Double.isFinite(d)) {
        n.put(key, d);
      } else {
        n.putNull(key);
      }
    } else {
      n.put(key, String.valueOf(v));
    }
  }

  private static void number(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.addNull();
    }
  }

  private static void time(ObjectNode n, String key, Instant t) {
    if (t == null) {
      n.putNull(key);
    } else {
      n.put(key, t.toEpochMilli());
    }
  }
}
