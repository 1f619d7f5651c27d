package dev.knobflow.optimizers.samplers.tpe;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Hand-made trials and a read-only study over them, for sampler unit tests. */
final class TrialFixtures {

  private TrialFixtures() {}

  static FrozenTrial trial(
      int number,
      TrialState state,
      List<Double> values,
      Map<String, Object> params,
      Map<String, Distribution> distributions) {
    Map<String, Distribution> dists = new TreeMap<>();
    for (String name : params.keySet()) {
      dists.put(name, distributions.get(name));
    }
    return new FrozenTrial(
        number,
        state,
        values,
        params,
        dists,
        new TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Double.NaN,
        null,
        null,
        null,
        null);
  }

  static StudyView study(List<Objective> objectives, List<FrozenTrial> trials) {
    return new StudyView() {
      @Override
      public String name() {
        return "fixture";
      }

      @Override
      public List<Objective> objectives() {
        return objectives;
      }

      @Override
      public List<FrozenTrial> trials() {
        return trials;
      }

      @Override
      public List<FrozenTrial> trials(Set<TrialState> states) {
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial t : trials) {
          if (states.contains(t.state())) {
            out.add(t);
          }
        }
        return out;
      }

      @Override
      public SearchSpace declaredSpace() {
        return SearchSpace.empty();
      }
    };
  }
}
