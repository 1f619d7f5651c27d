package dev.knobflow.optimizers.distributions;

/**
 * The set of values a parameter may take.
 *
 * <p>Every distribution maps its values to an internal {@code double} (the value itself for
 * numbers, the index for categorical choices) and to the unit interval (log-aware for numbers),
 * which is the space samplers work in.
 */
public sealed interface Distribution
    permits FloatDistribution, IntDistribution, CategoricalDistribution {

  /** Whether {@code value} is one of this distribution's values. */
  boolean contains(Object value);

  /** The internal representation of {@code value}; it must be {@link #contains contained}. */
  double toInternal(Object value);

  /** The user-facing value for an internal representation. */
  Object toExternal(double internal);

  /**
   * Maps {@code u} in [0, 1] to a value, uniformly in this distribution's own scale (log scale for
   * log distributions, equal mass per grid point for stepped ones, per choice for categoricals).
   */
  Object fromUnit(double u);

  /** The position of {@code value} in [0, 1], the inverse of {@link #fromUnit} up to rounding. */
  double toUnit(Object value);

  /** The number of distinct values, or {@code -1} when the distribution is continuous. */
  long size();

  /**
   * A short type name used in files and messages: {@code float}, {@code int}, {@code categorical}.
   */
  String typeName();

  /** Clamps a unit-interval coordinate into [0, 1]. */
  static double clampUnit(double u) {
    if (Double.isNaN(u)) {
      return 0.5;
    }
    return Math.min(1.0, Math.max(0.0, u));
  }
}
