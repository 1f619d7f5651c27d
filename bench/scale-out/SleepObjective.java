package dev.knobflow.bench.scaleout;

import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;

/**
 * The scale-out benchmark's objective: a fixed 200 ms of "work" (a sleep, so it costs no CPU and
 * the workers measure coordination, not compute), then a value of its two parameters. A class
 * objective, so no process is started per trial.
 */
public final class SleepObjective implements ObjectiveFunction {

  /** How long each evaluation takes. */
  public static final long MILLIS = 200;

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    double x = trial.suggestFloat("x", -5, 5);
    double y = trial.suggestFloat("y", -5, 5);
    Thread.sleep(MILLIS);
    return TrialResult.of((x - 1) * (x - 1) + (y + 2) * (y + 2));
  }
}
