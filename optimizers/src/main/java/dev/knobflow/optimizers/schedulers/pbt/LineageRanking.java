package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * PBT's opt-in ranking at equal budget ({@link PbtSettings#equalBudgetRanking()}). Asynchronously
 * members stand at different budgets (an exploiting member takes over a donor's checkpoint ahead of
 * its own), and a member further along scores better for its extra training alone; ranked on their
 * latest results, the members behind keep exploiting whichever lineage is ahead until the whole
 * population descends from it, however poor its hyperparameters. Here each member is judged by its
 * lineage's result at the deciding member's budget: the latest segment up its checkpoint chain
 * ({@value Checkpoint#PARENT_ATTR}, through the donors it copied) that trained no further. A
 * lineage then ranks high for learning faster, not for having trained longer; a donor is still
 * copied at its latest checkpoint. Members whose lineages share that result tie (the lower member
 * first).
 */
final class LineageRanking {

  private LineageRanking() {}

  /** {@code latest} (each member's latest result) ordered best first, judged at {@code budget}. */
  static List<FrozenTrial> atBudget(
      RungRanking ranking, StudyView study, List<FrozenTrial> latest, double budget) {
    Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    for (FrozenTrial t : study.trials()) {
      byNumber.put(t.number(), t);
    }
    Map<FrozenTrial, FrozenTrial> proxyOf = new IdentityHashMap<>();
    List<FrozenTrial> proxies = new ArrayList<>();
    for (FrozenTrial t : latest) {
      FrozenTrial p = t;
      while (budgetOf(p) > budget + 1e-9
          && p.systemAttrs().get(Checkpoint.PARENT_ATTR) instanceof Number parent
          && byNumber.containsKey(parent.intValue())
          && hasResult(byNumber.get(parent.intValue()))) {
        p = byNumber.get(parent.intValue());
      }
      proxyOf.put(t, p);
      if (!proxies.contains(p)) {
        proxies.add(p);
      }
    }
    List<FrozenTrial> order = ranking.rank(proxies, study.objectives());
    List<FrozenTrial> out = new ArrayList<>(latest);
    out.sort(Comparator.comparingInt(t -> order.indexOf(proxyOf.get(t))));
    return out;
  }

  private static double budgetOf(FrozenTrial t) {
    return Double.isNaN(t.budget()) ? 0 : t.budget();
  }

  private static boolean hasResult(FrozenTrial t) {
    return (t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED)
        && !t.values().isEmpty();
  }
}
