package dev.knobflow.plugin.faults;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;

/**
 * A class objective for crash tests: {@code x^2} after 40 ms. Trial number {@code
 * -Dfaults.hangAtTrial} hangs (after suggesting x) so that a kill lands inside it.
 */
public final class SlowSquare implements ObjectiveFunction {

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    double x = trial.suggestFloat("x", -5, 5);
    if (trial.number() == Integer.getInteger("faults.hangAtTrial", -1)) {
      Thread.sleep(Long.MAX_VALUE);
    }
    Thread.sleep(40);
    return TrialResult.of(x * x);
  }
}
