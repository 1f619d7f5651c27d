package dev.knobflow.optimizers;

/**
 * A named objective with its direction.
 *
 * @param name the metric name, e.g. {@code accuracy}
 * @param direction whether to minimise or maximise it
 */
public record Objective(String name, Direction direction) {

  public Objective {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("objective name must not be blank");
    }
    if (direction == null) {
      throw new IllegalArgumentException("objective '" + name + "': direction must be given");
    }
  }

  /** An objective to minimise. */
  public static Objective minimize(String name) {
    return new Objective(name, Direction.MINIMIZE);
  }

  /** An objective to maximise. */
  public static Objective maximize(String name) {
    return new Objective(name, Direction.MAXIMIZE);
  }
}
