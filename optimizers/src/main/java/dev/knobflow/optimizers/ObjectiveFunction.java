package dev.knobflow.optimizers;

/**
 * The function a study optimises: it suggests parameters through the {@link Trial}, evaluates them
 * and returns the objective values.
 */
@FunctionalInterface
public interface ObjectiveFunction {

  /**
   * Evaluates one trial. An exception marks the trial FAIL with its message and the study goes on;
   * a NaN value marks it FAIL too.
   */
  TrialResult evaluate(Trial trial) throws Exception;

  /** Adapts a single-objective function that returns a plain {@code double}. */
  static ObjectiveFunction scalar(ScalarObjective objective) {
    return trial -> TrialResult.of(objective.evaluate(trial));
  }

  /** A single-objective function returning a plain {@code double}. */
  @FunctionalInterface
  interface ScalarObjective {
    double evaluate(Trial trial) throws Exception;
  }
}
