package dev.knobflow.plugin.warmstart;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.PriorObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link WarmStartPlan}'s configurations into {@link PriorObservation}s for a model-based
 * sampler: each planned configuration with the values its past trial had for the current study's
 * objectives.
 *
 * <p>Rules: the past study must have every current objective by name (otherwise its configurations
 * are skipped and logged); values are reordered into the current objective order and kept in each
 * objective's own direction. A configuration that was clamped or snapped to the current space is
 * skipped: its value was observed at another point.
 *
 * @param priors the prior observations, in plan order
 * @param log one line per decision
 */
public record WarmStartPriors(List<PriorObservation> priors, List<String> log) {

  public WarmStartPriors {
    priors = List.copyOf(priors);
    log = List.copyOf(log);
  }

  /** The priors of {@code plan} for a study with {@code objectives} over {@code space}. */
  public static WarmStartPriors of(
      WarmStartPlan plan, SearchSpace space, List<Objective> objectives) {
    List<PriorObservation> priors = new ArrayList<>();
    List<String> log = new ArrayList<>();
    for (PlannedConfiguration c : plan.configurations()) {
      Optional<PastStudy> source =
          plan.ranking().stream()
              .map(RankedStudy::study)
              .filter(s -> s.name().equals(c.sourceStudy()))
              .findFirst();
      if (source.isEmpty()) {
        continue;
      }
      PastStudy study = source.get();
      int[] order = objectiveOrder(study.objectives(), objectives);
      if (order == null) {
        log.add(
            "study '"
                + study.name()
                + "': no prior from "
                + c.params()
                + " (its objectives "
                + names(study.objectives())
                + " do not include "
                + names(objectives)
                + ")");
        continue;
      }
      Optional<PastTrial> trial = unclampedTrial(study, c.params(), space);
      if (trial.isEmpty()) {
        log.add(
            "study '"
                + study.name()
                + "': no prior from "
                + c.params()
                + " (clamped or snapped to the current space)");
        continue;
      }
      List<Double> values = new ArrayList<>();
      for (int index : order) {
        values.add(trial.get().values().get(index));
      }
      priors.add(new PriorObservation(c.params(), values));
      log.add("study '" + study.name() + "': prior " + c.params() + " -> " + values);
    }
    return new WarmStartPriors(priors, log);
  }

  /** For each current objective, its index among the past ones; null when one is missing. */
  private static int[] objectiveOrder(List<Objective> past, List<Objective> current) {
    int[] order = new int[current.size()];
    for (int j = 0; j < current.size(); j++) {
      order[j] = -1;
      for (int i = 0; i < past.size(); i++) {
        if (past.get(i).name().equals(current.get(j).name())) {
          order[j] = i;
        }
      }
      if (order[j] < 0) {
        return null;
      }
    }
    return order;
  }

  /** The past trial that fits to exactly {@code params} without clamping or snapping. */
  private static Optional<PastTrial> unclampedTrial(
      PastStudy study, Map<String, Object> params, SearchSpace space) {
    for (PastTrial t : study.bestOrParetoTrials()) {
      List<String> scratch = new ArrayList<>();
      Map<String, Object> fitted = SpaceFitter.fit(t.params(), space, "", scratch);
      if (fitted.equals(params)) {
        boolean clamped = scratch.stream().anyMatch(line -> line.contains(": clamped "));
        if (!clamped && t.values().size() == study.objectives().size()) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> names(List<Objective> objectives) {
    return objectives.stream().map(Objective::name).toList();
  }
}
