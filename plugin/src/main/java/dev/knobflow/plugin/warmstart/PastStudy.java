package dev.knobflow.plugin.warmstart;

import dev.knobflow.optimizers.Objective;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What warm start needs to know of a past study, independent of where it was stored.
 *
 * @param name the study's name, used in the plan's log
 * @param metaFeatures the meta-features of the dataset it was tuned on (see {@link
 *     MetaFeatureSet#asMap()}, {@link MetaFeatureTags#decode})
 * @param objectives its objectives with directions, at least one
 * @param bestOrParetoTrials its best trials (single objective) or Pareto front (several); any
 *     completed trials will do, {@link WarmStart} selects the best or non-dominated ones itself
 */
public record PastStudy(
    String name,
    Map<String, Double> metaFeatures,
    List<Objective> objectives,
    List<PastTrial> bestOrParetoTrials) {

  public PastStudy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metaFeatures, "metaFeatures");
    Objects.requireNonNull(bestOrParetoTrials, "bestOrParetoTrials");
    if (objectives == null || objectives.isEmpty()) {
      throw new IllegalArgumentException(
          "past study '" + name + "': objectives must list at least one objective");
    }
    metaFeatures = Collections.unmodifiableMap(new LinkedHashMap<>(metaFeatures));
    objectives = List.copyOf(objectives);
    bestOrParetoTrials = List.copyOf(bestOrParetoTrials);
  }
}
