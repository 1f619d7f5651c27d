package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.distributions.Distribution;
import java.util.Objects;

/**
 * A parameter's value with the distribution it was drawn from, for {@link StudyStorage#setParams}.
 *
 * @param distribution the distribution the parameter was suggested with
 * @param value the value, canonical for the distribution (Double, Long or the choice)
 */
public record ParamValue(Distribution distribution, Object value) {

  /** Checks that the distribution is present. */
  public ParamValue {
    Objects.requireNonNull(distribution, "distribution");
  }
}
