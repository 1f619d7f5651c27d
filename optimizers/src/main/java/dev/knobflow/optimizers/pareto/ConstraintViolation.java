package dev.knobflow.optimizers.pareto;

/**
 * Feasibility and total violation of constraint values.
 *
 * <p>Convention: a constraint value {@code c} is satisfied when {@code c <= 0}. A point is feasible
 * when every value is satisfied, and its total violation is {@code sum(max(0, c_i))}, so feasible
 * points have violation exactly 0. A {@code NaN} constraint value counts as infinitely violated
 * (the point is infeasible with violation {@code +Infinity}): an unknown constraint is never
 * trusted.
 */
public final class ConstraintViolation {

  private ConstraintViolation() {}

  /**
   * Returns true when every constraint value is {@code <= 0} (an empty array is feasible).
   *
   * @throws IllegalArgumentException if {@code constraintValues} is null
   */
  public static boolean isFeasible(double[] constraintValues) {
    if (constraintValues == null) {
      throw new IllegalArgumentException("constraintValues must not be null");
    }
    for (double c : constraintValues) {
      if (!(c <= 0.0)) { // also true for NaN
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code sum(max(0, c_i))}, or {@code +Infinity} when any value is {@code NaN}.
   *
   * @throws IllegalArgumentException if {@code constraintValues} is null
   */
  public static double total(double[] constraintValues) {
    if (constraintValues == null) {
      throw new IllegalArgumentException("constraintValues must not be null");
    }
    double sum = 0.0;
    for (double c : constraintValues) {
      if (Double.isNaN(c)) {
        return Double.POSITIVE_INFINITY;
      }
      if (c > 0.0) {
        sum += c;
      }
    }
    return sum;
  }

  /**
   * Returns the total violation of each point, as {@link #total(double[])}.
   *
   * @param constraintValues {@code constraintValues[i]} holds the constraint values of point {@code
   *     i}
   * @throws IllegalArgumentException if the array or one of its rows is null
   */
  public static double[] totals(double[][] constraintValues) {
    if (constraintValues == null) {
      throw new IllegalArgumentException("constraintValues must not be null");
    }
    double[] result = new double[constraintValues.length];
    for (int i = 0; i < constraintValues.length; i++) {
      if (constraintValues[i] == null) {
        throw new IllegalArgumentException("constraintValues[" + i + "] must not be null");
      }
      result[i] = total(constraintValues[i]);
    }
    return result;
  }
}
