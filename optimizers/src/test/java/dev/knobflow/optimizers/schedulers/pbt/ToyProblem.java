package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import java.nio.ByteBuffer;

/**
 * The toy problem of the PBT paper (Jaderberg et al. 2017, section 4.1): maximise {@code Q(theta) =
 * 1.2 - |theta|^2} from {@code theta = (0.9, 0.9)} by gradient ascent on the surrogate {@code
 * Qhat(theta | h) = 1.2 - (h0 theta0^2 + h1 theta1^2)}. A fixed {@code h} such as {@code (1, 0)}
 * only ever moves one coordinate; a schedule of {@code h} reaches the optimum 1.2. The state (theta
 * and the step reached) is the trial's checkpoint.
 */
final class ToyProblem {

  static final double LEARNING_RATE = 0.01;

  private ToyProblem() {}

  static double trueQ(double[] theta) {
    return 1.2 - (theta[0] * theta[0] + theta[1] * theta[1]);
  }

  /** Trains one segment: from the loaded checkpoint up to the trial's budget. */
  static TrialResult segment(Trial trial) {
    double h0 = trial.suggestFloat("h0", 0, 1);
    double h1 = trial.suggestFloat("h1", 0, 1);
    double[] theta = {0.9, 0.9};
    long step = 0;
    var saved = trial.checkpoint().load();
    if (saved.isPresent()) {
      ByteBuffer b = ByteBuffer.wrap(saved.get());
      theta[0] = b.getDouble();
      theta[1] = b.getDouble();
      step = b.getLong();
    }
    long budget = (long) trial.budget().orElseThrow();
    for (; step < budget; step++) {
      theta[0] += LEARNING_RATE * (-2 * h0 * theta[0]);
      theta[1] += LEARNING_RATE * (-2 * h1 * theta[1]);
    }
    trial
        .checkpoint()
        .save(
            ByteBuffer.allocate(24).putDouble(theta[0]).putDouble(theta[1]).putLong(step).array());
    return TrialResult.of(trueQ(theta));
  }
}
