package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;

/** A class objective for Spark tests: {@code (x - 1)^2}, with a short pause so workers overlap. */
public final class QuadraticObjective implements ObjectiveFunction {

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    double x = trial.suggestFloat("x", -5, 5);
    Thread.sleep(20);
    return TrialResult.of((x - 1) * (x - 1));
  }
}
