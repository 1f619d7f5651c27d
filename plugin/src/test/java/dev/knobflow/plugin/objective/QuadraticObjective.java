package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import java.util.Map;

/** A class objective for tests: (x - 2)^2, with x declared in the study file's space. */
public final class QuadraticObjective implements ObjectiveFunction {

  @Override
  public TrialResult evaluate(Trial trial) {
    double x = trial.suggestFloat("x", -5, 5);
    double y = trial.suggestFloat("y", 0, 1); // define-by-run: not declared in the file
    return TrialResult.ofNamed(Map.of("loss", (x - 2) * (x - 2) + y, "abs_x", Math.abs(x)));
  }
}
