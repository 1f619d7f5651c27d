package dev.knobflow.advisor.diagnostics;

import dev.knobflow.advisor.space.Direction;
import java.util.Objects;

/**
 * The classification of one curve with the evidence that decided it.
 *
 * @param kind the class
 * @param direction the direction the curve was read in
 * @param pointCount how many points the curve had
 * @param evidence the rule that decided the class (for {@link DiagnosisKind#HEALTHY}: the
 *     measurements showing no rule fired)
 */
public record Diagnosis(
    DiagnosisKind kind, Direction direction, int pointCount, Evidence evidence) {

  /** Validates the fields. */
  public Diagnosis {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(evidence, "evidence");
  }
}
