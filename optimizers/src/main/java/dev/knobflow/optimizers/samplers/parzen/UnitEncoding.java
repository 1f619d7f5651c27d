package dev.knobflow.optimizers.samplers.parzen;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;

/**
 * The coordinates a Parzen estimator works in: a numeric value's unit position ({@link
 * Distribution#toUnit}, log-aware, cell centres for discrete values) and a choice's index.
 */
public final class UnitEncoding {

  private UnitEncoding() {}

  /** The coordinate of {@code value}. */
  public static double encode(Distribution distribution, Object value) {
    if (distribution instanceof CategoricalDistribution c) {
      return c.indexOf(value);
    }
    return distribution.toUnit(value);
  }

  /** The value at coordinate {@code x}. */
  public static Object decode(Distribution distribution, double x) {
    if (distribution instanceof CategoricalDistribution c) {
      int index = (int) Math.round(x);
      return c.choices().get(Math.min(c.choices().size() - 1, Math.max(0, index)));
    }
    return distribution.fromUnit(x);
  }
}
