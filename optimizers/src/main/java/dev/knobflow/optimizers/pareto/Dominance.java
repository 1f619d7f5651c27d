package dev.knobflow.optimizers.pareto;

/**
 * Pareto dominance and constraint domination between two points in minimisation form.
 *
 * <p>{@code NaN} objective values are treated as {@code +Infinity} (worse than every number), and a
 * {@code NaN} violation as {@code +Infinity}. Equal points never dominate each other.
 */
public final class Dominance {

  private Dominance() {}

  /**
   * Returns true when {@code a} Pareto-dominates {@code b}: {@code a} is no worse in every
   * objective and strictly better in at least one.
   *
   * @throws IllegalArgumentException if an argument is null or the lengths differ
   */
  public static boolean dominates(double[] a, double[] b) {
    requireSameLength(a, b);
    boolean strictlyBetter = false;
    for (int j = 0; j < a.length; j++) {
      double x = Checks.sanitize(a[j]);
      double y = Checks.sanitize(b[j]);
      if (x > y) {
        return false;
      }
      if (x < y) {
        strictlyBetter = true;
      }
    }
    return strictlyBetter;
  }

  /**
   * Returns true when {@code a} constraint-dominates {@code b}: the project's one dominance rule
   * with constraints (Deb 2000, with equal violations compared by objectives). A smaller total
   * violation dominates (so a feasible point, violation 0, dominates every infeasible one); of two
   * points with equal violation (both feasible, or equally infeasible) the one that
   * Pareto-dominates the other by {@link #dominates(double[], double[])} dominates. NSGA-II's
   * survival, {@link NonDominatedSorting#sort(double[][], double[])}, the study's Pareto front and
   * best trial, and the reports all follow it.
   *
   * @param violationA total constraint violation of {@code a}, {@code >= 0}
   * @param violationB total constraint violation of {@code b}, {@code >= 0}
   * @throws IllegalArgumentException if a violation is negative or the points are invalid
   */
  public static boolean constrainedDominates(
      double[] a, double violationA, double[] b, double violationB) {
    double va = requireViolation(violationA, "violationA");
    double vb = requireViolation(violationB, "violationB");
    requireSameLength(a, b);
    if (va != vb) {
      return va < vb;
    }
    return dominates(a, b);
  }

  /** Checks a violation and returns it with NaN mapped to +Infinity. */
  static double requireViolation(double violation, String name) {
    if (violation < 0.0) {
      throw new IllegalArgumentException(
          name + " is " + violation + "; a total constraint violation must be >= 0");
    }
    return Double.isNaN(violation) ? Double.POSITIVE_INFINITY : violation + 0.0;
  }

  private static void requireSameLength(double[] a, double[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException((a == null ? "a" : "b") + " must not be null");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "a has " + a.length + " objectives but b has " + b.length + "; they must match");
    }
  }
}
