package dev.knobflow.plugin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.plugin.objective.CommandObjective;
import dev.knobflow.plugin.warmstart.WarmStart;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@code knobflow show}: the study, every trial and the Pareto front. A COMPLETE
 * trial's values are always finite ({@link dev.knobflow.optimizers.storage.TrialOutcome}); the few
 * numbers that may be non-finite (a pruned trial's last values, intermediate values, extra metrics)
 * are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, so the
 * output is strict JSON and never shows {@code null} for a number.
 */
final class StudyJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StudyJson() {}

  static String of(StudyRecord study, List<FrozenTrial> trials, List<FrozenTrial> front) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode s = root.putObject("study");
    s.put("name", study.name());
    ArrayNode objectives = s.putArray("objectives");
    for (Objective o : study.objectives()) {
      objectives.addObject().put("name", o.name()).put("direction", o.direction().id());
    }
    ObjectNode attrs = s.putObject("attrs");
    study.attrs().forEach((k, v) -> attrs.set(k, JSON.valueToTree(v)));
    if (study.created() != null) {
      s.put("created", study.created().toString());
    }
    ArrayNode list = root.putArray("trials");
    for (FrozenTrial t : trials) {
      list.add(trial(t, study.objectives()));
    }
    ArrayNode pareto = root.putArray("pareto_front");
    front.forEach(t -> pareto.add(t.number()));
    root.set("totals", EnergyJson.totals(JSON, trials));
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static ObjectNode trial(FrozenTrial t, List<Objective> objectives) {
    ObjectNode n = JSON.createObjectNode();
    n.put("number", t.number());
    n.put("state", t.state().toString());
    n.set("params", JSON.valueToTree(t.params()));
    ObjectNode values = n.putObject("values");
    if (t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED) {
      for (int i = 0; i < objectives.size() && i < t.values().size(); i++) {
        putNumber(values, objectives.get(i).name(), t.values().get(i));
      }
    }
    ObjectNode metrics = n.putObject("metrics");
    t.metrics().forEach((k, v) -> putNumber(metrics, k, v));
    ArrayNode constraints = n.putArray("constraints");
    t.constraints().forEach(c -> addNumber(constraints, c));
    n.put("feasible", t.isFeasible());
    ObjectNode intermediate = n.putObject("intermediate_values");
    for (Map.Entry<Long, List<Double>> e : t.intermediateValues().entrySet()) {
      ObjectNode step = intermediate.putObject(Long.toString(e.getKey()));
      for (int i = 0; i < objectives.size() && i < e.getValue().size(); i++) {
        putNumber(step, objectives.get(i).name(), e.getValue().get(i));
      }
    }
    Object extra = t.userAttrs().get(CommandObjective.INTERMEDIATE_METRICS_ATTR);
    if (extra != null) {
      n.set("intermediate_metrics", JSON.valueToTree(extra));
    }
    t.budgetIfAssigned().ifPresent(b -> n.put("budget", b));
    if (t.systemAttrs().get(Checkpoint.PARENT_ATTR) instanceof Number parent) {
      n.put("parent_trial", parent.intValue());
    }
    if (t.systemAttrs().get(PbtScheduler.MEMBER_ATTR) instanceof Number member) {
      ObjectNode pbt = n.putObject("pbt");
      pbt.put("member", member.intValue());
      if (t.systemAttrs().get(PbtScheduler.GENERATION_ATTR) instanceof Number g) {
        pbt.put("generation", g.intValue());
      }
      if (t.systemAttrs().get(PbtScheduler.CLAIM_ATTR) instanceof Number c) {
        pbt.put("continues", c.intValue());
      }
    }
    Object lineage = t.systemAttrs().get(PbtScheduler.EXPLOIT_ATTR);
    if (lineage != null) {
      n.set("lineage", JSON.valueToTree(lineage));
    }
    if (t.started() != null) {
      n.put("start", t.started().toString());
    }
    if (t.completed() != null) {
      n.put("end", t.completed().toString());
    }
    if (t.failReason() != null && t.state() == TrialState.FAIL) {
      n.put("fail_reason", t.failReason());
    }
    if (t.failReason() != null && t.state() == TrialState.PRUNED) {
      n.put("prune_reason", t.failReason());
    }
    Object source = t.systemAttrs().get(WarmStart.SOURCE_ATTR);
    if (source != null) {
      n.put("warm_start_source", source.toString());
    }
    ObjectNode user = n.putObject("user_attrs");
    t.userAttrs()
        .forEach(
            (k, v) -> {
              if (!k.equals(CommandObjective.INTERMEDIATE_METRICS_ATTR)) {
                user.set(k, JSON.valueToTree(v));
              }
            });
    return n;
  }

  private static void putNumber(ObjectNode node, String key, Double v) {
    if (v == null) {
      return;
    }
    if (!Double.isFinite(v)) {
      node.put(key, v.toString());
    } else {
      node.put(key, v);
    }
  }

  private static void addNumber(ArrayNode node, Double v) {
    if (v == null || !Double.isFinite(v)) {
      node.add(String.valueOf(v));
    } else {
      node.add(v);
    }
  }
}
