package dev.knobflow.plugin.advice;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;

/**
 * A training loop whose loss diverges when {@code lr > 1} and decays smoothly otherwise; it checks
 * {@code shouldPrune()} after every step like a well-behaved objective. Public with a no-arg
 * constructor so study files can name it as a class objective.
 */
public final class DivergingObjective implements ObjectiveFunction {

  /** Steps per trial. */
  static final int STEPS = 20;

  @Override
  public TrialResult evaluate(Trial trial) {
    double lr = trial.suggestFloat("lr", 1e-4, 10, true);
    double loss = 1.0;
    for (int step = 0; step < STEPS; step++) {
      loss = lr > 1 ? loss * (1.3 + 0.1 * lr) : loss * (1 - 0.4 * lr / (1 + lr)) + 0.001;
      trial.report(step, loss);
      if (trial.shouldPrune()) {
        throw new TrialPrunedException("pruned at step " + step);
      }
    }
    return TrialResult.of(loss);
  }
}
