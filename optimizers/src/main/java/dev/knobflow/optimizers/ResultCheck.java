package dev.knobflow.optimizers;

import dev.knobflow.optimizers.storage.TrialOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an objective's {@link TrialResult} into the trial's outcome, checked against the study's
 * objectives: a wrong count, a missing named objective or a value that is not a finite number (NaN,
 * an infinity) makes the trial FAIL with the reason; named values that are not objectives become
 * metrics.
 */
final class ResultCheck {

  private ResultCheck() {}

  static TrialOutcome outcome(List<Objective> objectives, TrialResult result, Instant now) {
    List<Double> values;
    Map<String, Double> metrics;
    if (!result.named().isEmpty()) {
      values = new ArrayList<>(objectives.size());
      metrics = new LinkedHashMap<>(result.metrics());
      for (Objective o : objectives) {
        Double v = result.named().get(o.name());
        if (v == null) {
          return TrialOutcome.failed(
              "the result has no value for objective '"
                  + o.name()
                  + "' (it has "
                  + result.named().keySet()
                  + ")",
              now);
        }
        values.add(v);
      }
      for (Map.Entry<String, Double> e : result.named().entrySet()) {
        if (objectives.stream().noneMatch(o -> o.name().equals(e.getKey()))) {
          metrics.put(e.getKey(), e.getValue());
        }
      }
    } else {
      // Both already immutable copies (TrialResult's constructor).
      values = result.values();
      metrics = result.metrics();
    }
    if (values.size() != objectives.size()) {
      return TrialOutcome.failed(
          "the objective returned "
              + values.size()
              + " value"
              + (values.size() == 1 ? "" : "s")
              + " but the study has "
              + objectives.size()
              + " objective"
              + (objectives.size() == 1 ? "" : "s")
              + " "
              + objectives.stream().map(Objective::name).toList(),
          now);
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null || !Double.isFinite(values.get(i))) {
        return TrialOutcome.failed(
            "objective '"
                + objectives.get(i).name()
                + "' is "
                + values.get(i)
                + "; "
                + TrialOutcome.FINITE_RULE,
            now);
      }
    }
    String badConstraint = TrialOutcome.nonFinite("constraint", result.constraints());
    if (badConstraint != null) {
      return TrialOutcome.failed(badConstraint, now);
    }
    return TrialOutcome.complete(values, result.constraints(), metrics, now);
  }
}
