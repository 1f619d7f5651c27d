package dev.knobflow.optimizers.pareto;

/**
 * Quality indicators that compare an approximation front with a reference (true) front, all in
 * minimisation form.
 *
 * <ul>
 *   <li>{@link #hypervolume}: larger is better.
 *   <li>{@link #gd}: generational distance, mean over front points of the Euclidean distance to the
 *       nearest reference point; smaller is better.
 *   <li>{@link #igd}: inverted generational distance, mean over reference points of the Euclidean
 *       distance to the nearest front point; smaller is better.
 *   <li>{@link #igdPlus}: IGD+ (Ishibuchi et al. 2015), like IGD but counting only the amounts by
 *       which a front point is worse than the reference point, which makes it weakly Pareto
 *       compliant; smaller is better.
 * </ul>
 *
 * <p>Cost of the distance indicators: O(|front| |reference| m).
 */
public final class QualityIndicators {

  private QualityIndicators() {}

  /** Same as {@link Hypervolume#compute(double[][], double[])}. */
  public static double hypervolume(double[][] front, double[] reference) {
    return Hypervolume.compute(front, reference);
  }

  /**
   * Generational distance: mean over front points of the distance to the nearest reference point.
   *
   * @throws IllegalArgumentException if either set is empty, null, holds a non-finite value, or the
   *     dimensions differ
   */
  public static double gd(double[][] front, double[][] referenceFront) {
    int m = requireFinite(referenceFront, "referenceFront");
    if (referenceFront.length == 0) {
      throw new IllegalArgumentException("referenceFront must not be empty");
    }
    requireFinite(front, "front");
    Checks.requireMatrix(front, "front", m, "referenceFront");
    if (front.length == 0) {
      throw new IllegalArgumentException("front must not be empty for GD");
    }
    return meanNearest(front, referenceFront, false);
  }

  /**
   * Inverted generational distance: mean over reference points of the Euclidean distance to the
   * nearest front point. An empty front gives {@code +Infinity}.
   *
   * @throws IllegalArgumentException if {@code referenceFront} is empty, a set is null or holds a
   *     non-finite value, or the dimensions differ
   */
  public static double igd(double[][] front, double[][] referenceFront) {
    requireReferenceAndFront(front, referenceFront);
    return front.length == 0 ? Double.POSITIVE_INFINITY : meanNearest(referenceFront, front, false);
  }

  /**
   * IGD+: mean over reference points z of {@code min over front points a of sqrt(sum_j max(a_j -
   * z_j, 0)^2)}. An empty front gives {@code +Infinity}.
   *
   * @throws IllegalArgumentException as for {@link #igd(double[][], double[][])}
   */
  public static double igdPlus(double[][] front, double[][] referenceFront) {
    requireReferenceAndFront(front, referenceFront);
    return front.length == 0 ? Double.POSITIVE_INFINITY : meanNearest(referenceFront, front, true);
  }

  /**
   * Mean over {@code from} of the distance to the nearest of {@code to}. With {@code plus}, the
   * distance from reference point z to front point a counts only {@code max(a_j - z_j, 0)}.
   */
  private static double meanNearest(double[][] from, double[][] to, boolean plus) {
    int m = from[0].length;
    double sum = 0.0;
    for (double[] z : from) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] a : to) {
        double squared = 0.0;
        for (int j = 0; j < m && squared < best; j++) {
          double difference = a[j] - z[j];
          if (plus && difference < 0.0) {
            difference = 0.0;
          }
          squared += difference * difference;
        }
        best = Math.min(best, squared);
      }
      sum += Math.sqrt(best);
    }
    return sum / from.length;
  }

  private static void requireReferenceAndFront(double[][] front, double[][] referenceFront) {
    int m = requireFinite(referenceFront, "referenceFront");
    if (referenceFront.length == 0) {
      throw new IllegalArgumentException("referenceFront must not be empty");
    }
    requireFinite(front, "front");
    Checks.requireMatrix(front, "front", m, "referenceFront");
  }

  private static int requireFinite(double[][] points, String name) {
    int m = Checks.requireMatrix(points, name);
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < m; j++) {
        if (!Double.isFinite(points[i][j])) {
          throw new IllegalArgumentException(
              name + "[" + i + "][" + j + "] is " + points[i][j] + "; values must be finite");
        }
      }
    }
    return m;
  }
}
