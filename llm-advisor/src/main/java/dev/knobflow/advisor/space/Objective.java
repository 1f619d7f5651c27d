package dev.knobflow.advisor.space;

import java.util.Objects;

/**
 * An objective the study optimises.
 *
 * @param name objective name, e.g. {@code accuracy}
 * @param direction whether lower or higher is better
 */
public record Objective(String name, Direction direction) {

  /** Validates the fields. */
  public Objective {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("objective name must be a non-blank string");
    }
    Objects.requireNonNull(direction, "objective direction must be MINIMIZE or MAXIMIZE");
  }

  /**
   * Creates an objective.
   *
   * @param name objective name
   * @param direction its direction
   * @return the objective
   */
  public static Objective of(String name, Direction direction) {
    return new Objective(name, direction);
  }
}
