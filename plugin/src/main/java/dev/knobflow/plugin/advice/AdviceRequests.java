package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.Diagnosis;
import dev.knobflow.advisor.space.Direction;
import dev.knobflow.advisor.space.ParameterSpec;
import dev.knobflow.advisor.space.SearchSpace;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps the engine's study, trial and distributions onto the advisor's request types. */
final class AdviceRequests {

  private AdviceRequests() {}

  /** The engine's direction as the advisor's. */
  static Direction direction(dev.knobflow.optimizers.Direction d) {
    return d == dev.knobflow.optimizers.Direction.MAXIMIZE
        ? Direction.MAXIMIZE
        : Direction.MINIMIZE;
  }

  /** The trial's intermediate values of objective {@code index} as a curve. */
  static Curve curve(FrozenTrial trial, int index) {
    long[] steps = new long[trial.intermediateValues().size()];
    double[] values = new double[steps.length];
    int i = 0;
    for (Map.Entry<Long, List<Double>> e : trial.intermediateValues().entrySet()) {
      steps[i] = e.getKey();
      values[i++] = e.getValue().get(index);
    }
    return Curve.of(steps, values);
  }

  /**
   * The space the advisor reasons about: the declared parameters and any the trial suggested
   * define-by-run, each narrowed by the study's overrides, since later trials sample from that.
   */
  static SearchSpace space(StudyView study, FrozenTrial trial, SpaceOverrides overrides) {
    Map<String, Distribution> all = new LinkedHashMap<>(study.declaredSpace().distributions());
    trial.distributions().forEach(all::putIfAbsent);
    List<ParameterSpec> specs = new ArrayList<>();
    all.forEach((name, d) -> specs.add(spec(name, overrides.narrow(name, d))));
    return SearchSpace.of(specs);
  }

  static ParameterSpec spec(String name, Distribution d) {
    if (d instanceof FloatDistribution f) {
      return new ParameterSpec.FloatParameter(name, f.low(), f.high(), f.log());
    }
    if (d instanceof IntDistribution i) {
      return new ParameterSpec.IntParameter(name, i.low(), i.high(), i.log());
    }
    CategoricalDistribution c = (CategoricalDistribution) d;
    return new ParameterSpec.CategoricalParameter(
        name, c.choices().stream().map(String::valueOf).toList());
  }

  /** The request for one diagnosed curve of {@code trial}. */
  static AdviceRequest request(
      StudyView study,
      FrozenTrial trial,
      int objectiveIndex,
      Curve curve,
      Diagnosis diagnosis,
      SpaceOverrides overrides,
      int curveCap) {
    AdviceRequest.Builder b = AdviceRequest.builder();
    for (Objective o : study.objectives()) {
      b.objective(dev.knobflow.advisor.space.Objective.of(o.name(), direction(o.direction())));
    }
    List<FrozenTrial> complete = study.trials(Set.of(TrialState.COMPLETE));
    for (int k = 0; k < study.objectives().size(); k++) {
      Objective o = study.objectives().get(k);
      double best = Double.NaN;
      for (FrozenTrial t : complete) {
        double v = t.values().get(k);
        if (Double.isNaN(best)
            || o.direction().toMinimization(v) < o.direction().toMinimization(best)) {
          best = v;
        }
      }
      if (!Double.isNaN(best)) {
        b.bestValue(o.name(), best);
      }
    }
    trial
        .params()
        .forEach(
            (name, value) -> {
              if (value instanceof Number || value instanceof String || value instanceof Boolean) {
                b.param(name, value);
              } else if (value != null) {
                b.param(name, String.valueOf(value));
              }
            });
    return b.space(space(study, trial, overrides))
        .trialCount(study.trials().size())
        .trialNumber(trial.number())
        .budget(trial.budgetIfAssigned().isPresent() ? trial.budget() : null)
        .curveLabel(study.objectives().get(objectiveIndex).name())
        .curve(curve)
        .curveCap(curveCap)
        .diagnosis(diagnosis)
        .build();
  }
}
