package dev.knobflow.optimizers.pareto;

/**
 * Converts objective values with declared directions into the minimisation form every class in this
 * package expects: maximised objectives are negated, minimised ones are copied unchanged.
 *
 * <p>The input arrays are never modified; {@code NaN} stays {@code NaN}.
 */
public final class MinimizationForm {

  private MinimizationForm() {}

  /**
   * Returns a copy of one point's values in minimisation form.
   *
   * @param values the objective values, one per objective
   * @param maximize {@code maximize[j]} is true when objective {@code j} is maximised
   * @throws IllegalArgumentException if an argument is null or the lengths differ
   */
  public static double[] of(double[] values, boolean[] maximize) {
    requireNonNull(values, "values");
    requireNonNull(maximize, "maximize");
    if (values.length != maximize.length) {
      throw new IllegalArgumentException(
          "values has "
              + values.length
              + " objectives but maximize has "
              + maximize.length
              + " flags; they must match");
    }
    double[] result = new double[values.length];
    for (int j = 0; j < values.length; j++) {
      result[j] = maximize[j] ? -values[j] : values[j];
    }
    return result;
  }

  /**
   * Returns a copy of many points' values in minimisation form.
   *
   * @param values {@code values[i][j]} is objective {@code j} of point {@code i}
   * @param maximize {@code maximize[j]} is true when objective {@code j} is maximised
   * @throws IllegalArgumentException if an argument or row is null or a row's length differs from
   *     {@code maximize.length}
   */
  public static double[][] of(double[][] values, boolean[] maximize) {
    requireNonNull(values, "values");
    requireNonNull(maximize, "maximize");
    double[][] result = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException("values[" + i + "] must not be null");
      }
      if (values[i].length != maximize.length) {
        throw new IllegalArgumentException(
            "values["
                + i
                + "] has "
                + values[i].length
                + " objectives but maximize has "
                + maximize.length
                + " flags; they must match");
      }
      result[i] = of(values[i], maximize);
    }
    return result;
  }

  private static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
