package dev.knobflow.advisor.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a parameter means to the rules. */
public enum ParameterRole {
  /** The optimiser's step size. */
  LEARNING_RATE,
  /** Examples per update. */
  BATCH_SIZE,
  /** Momentum or Adam's beta1. */
  MOMENTUM,
  /** L2 penalty / decoupled weight decay. */
  WEIGHT_DECAY,
  /** Training length: epochs, boosting rounds, iterations. */
  EPOCHS;

  /**
   * Parses a role name as written in a study file ({@code learning_rate}, {@code batch-size},
   * {@code LearningRate}), case- and separator-insensitively; {@code lr} is accepted too.
   *
   * @param text the role name
   * @return the role
   * @throws IllegalArgumentException listing the allowed names
   */
  public static ParameterRole parse(String text) {
    String key = text == null ? "" : RoleResolver.normalize(text);
    for (ParameterRole role : values()) {
      if (RoleResolver.normalize(role.name()).equals(key)) {
        return role;
      }
    }
    if (key.equals("lr")) {
      return LEARNING_RATE;
    }
    throw new IllegalArgumentException(
        "advisor role must be one of "
            + Arrays.stream(values())
                .map(r -> r.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))
            + "; got: "
            + text);
  }
}
