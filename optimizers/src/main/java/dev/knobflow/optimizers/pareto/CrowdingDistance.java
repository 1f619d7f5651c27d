package dev.knobflow.optimizers.pareto;

import java.util.Arrays;

/**
 * Crowding distance within one front (Deb et al. 2002, NSGA-II): for each objective the members are
 * sorted by that objective; the two boundary members get {@code +Infinity} and every interior
 * member adds the gap between its two neighbours divided by the objective's range in the front. The
 * result is the sum over objectives. Larger means less crowded.
 *
 * <p>Details:
 *
 * <ul>
 *   <li>Fronts of one or two members: every member is a boundary, distance {@code +Infinity}.
 *   <li>An objective with range 0 (all members equal in it) does not discriminate and adds nothing,
 *       not even boundaries.
 *   <li>An objective with an infinite range (some member at {@code +/-Infinity}) marks its
 *       boundaries {@code +Infinity} but adds nothing to interior members.
 *   <li>Ties in an objective are ordered by position in the front, so results are deterministic; as
 *       in Deb's definition a tied member can sit on a boundary while its twin does not.
 *   <li>{@code NaN} is treated as {@code +Infinity}.
 * </ul>
 *
 * <p>O(m k log k) for k members and m objectives.
 */
public final class CrowdingDistance {

  private CrowdingDistance() {}

  /**
   * Returns the crowding distance of each member of a front.
   *
   * @param points all points, {@code points[i][j]} objective {@code j} of point {@code i}
   * @param front indices into {@code points} of the front's members (e.g. from {@link
   *     Fronts#front(int)})
   * @return {@code result[t]} is the distance of point {@code front[t]}
   * @throws IllegalArgumentException if an argument is null, an index is out of range or
   *     duplicated, or the points are invalid
   */
  public static double[] compute(double[][] points, int[] front) {
    int m = Checks.requireMatrix(points, "points");
    if (front == null) {
      throw new IllegalArgumentException("front must not be null");
    }
    boolean[] seen = new boolean[points.length];
    for (int t = 0; t < front.length; t++) {
      int index = front[t];
      if (index < 0 || index >= points.length) {
        throw new IllegalArgumentException(
            "front[" + t + "] is " + index + "; it must be an index in [0, " + points.length + ")");
      }
      if (seen[index]) {
        throw new IllegalArgumentException(
            "front[" + t + "] repeats index " + index + "; each member must appear once");
      }
      seen[index] = true;
    }
    return distances(points, front, m);
  }

  /**
   * Returns the crowding distance of each point, all points forming one front.
   *
   * @param frontPoints the members' objective values
   * @return {@code result[t]} is the distance of {@code frontPoints[t]}
   * @throws IllegalArgumentException if the points are invalid
   */
  public static double[] compute(double[][] frontPoints) {
    int m = Checks.requireMatrix(frontPoints, "frontPoints");
    return distances(frontPoints, IndexSort.identity(frontPoints.length), m);
  }

  private static double[] distances(double[][] points, int[] front, int m) {
    int k = front.length;
    double[] distance = new double[k];
    if (k <= 2) {
      Arrays.fill(distance, Double.POSITIVE_INFINITY);
      return distance;
    }
    double[] column = new double[k];
    int[] order = new int[k];
    for (int j = 0; j < m; j++) {
      for (int t = 0; t < k; t++) {
        column[t] = Checks.sanitize(points[front[t]][j]);
        order[t] = t;
      }
      IndexSort.sort(order, (a, b) -> Double.compare(column[a], column[b]));
      double min = column[order[0]];
      double max = column[order[k - 1]];
      if (min == max) {
        continue;
      }
      double range = max - min;
      distance[order[0]] = Double.POSITIVE_INFINITY;
      distance[order[k - 1]] = Double.POSITIVE_INFINITY;
      if (Double.isInfinite(range)) {
        continue;
      }
      for (int s = 1; s < k - 1; s++) {
        distance[order[s]] += (column[order[s + 1]] - column[order[s - 1]]) / range;
      }
    }
    return distance;
  }
}
