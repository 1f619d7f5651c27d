package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Helpers that derive the space a model-based sampler can work on from a study's trials. */
public final class SearchSpaces {

  private SearchSpaces() {}

  /**
   * The declared space if there is one, otherwise the parameters (with identical distributions)
   * that every completed or pruned trial shares, sorted by name.
   */
  public static Map<String, Distribution> declaredOrIntersection(StudyView study) {
    if (!study.declaredSpace().isEmpty()) {
      return study.declaredSpace().distributions();
    }
    return intersection(study);
  }

  /** The parameters every completed or pruned trial shares, sorted by name. */
  public static Map<String, Distribution> intersection(StudyView study) {
    Map<String, Distribution> space = null;
    for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE, TrialState.PRUNED))) {
      if (space == null) {
        space = new TreeMap<>(t.distributions());
        continue;
      }
      space.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
      if (space.isEmpty()) {
        break;
      }
    }
    return space == null ? Map.of() : new LinkedHashMap<>(space);
  }
}
