package dev.knobflow.optimizers.pareto;

/** Argument checks shared by the classes of this package; messages name the argument. */
final class Checks {

  private Checks() {}

  /**
   * Checks that {@code points} and all its rows are non-null and that all rows have the same length
   * of at least 1; returns that length, or 0 when there are no rows.
   */
  static int requireMatrix(double[][] points, String name) {
    if (points == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (points.length == 0) {
      return 0;
    }
    int dimensions = -1;
    for (int i = 0; i < points.length; i++) {
      double[] row = points[i];
      if (row == null) {
        throw new IllegalArgumentException(name + "[" + i + "] must not be null");
      }
      if (dimensions < 0) {
        dimensions = row.length;
        if (dimensions == 0) {
          throw new IllegalArgumentException(name + "[0] must have at least one objective");
        }
      } else if (row.length != dimensions) {
        throw new IllegalArgumentException(
            name
                + "["
                + i
                + "] has "
                + row.length
                + " objectives but "
                + name
                + "[0] has "
                + dimensions
                + "; all points must have the same number");
      }
    }
    return dimensions;
  }

  /** Like {@link #requireMatrix} but also requires every row to have {@code dimensions} entries. */
  static void requireMatrix(double[][] points, String name, int dimensions, String against) {
    int actual = requireMatrix(points, name);
    if (points.length > 0 && actual != dimensions) {
      throw new IllegalArgumentException(
          name
              + " has "
              + actual
              + " objectives but "
              + against
              + " has "
              + dimensions
              + "; they must match");
    }
  }

  /** Maps NaN to +Infinity and -0.0 to 0.0 so that primitive comparisons give a total order. */
  static double sanitize(double value) {
    return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value + 0.0;
  }
}
