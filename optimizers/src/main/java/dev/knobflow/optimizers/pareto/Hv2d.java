package dev.knobflow.optimizers.pareto;

/**
 * Exact two-objective hypervolume and exclusive contributions by a sweep over points sorted by the
 * first objective, O(n log n). Points are rows whose first two entries are used; every point must
 * be strictly better than the reference in both objectives.
 */
final class Hv2d {

  private Hv2d() {}

  /** Hypervolume of {@code points[0, n)} against {@code (refX, refY)}. */
  static double volume(double[][] points, int n, double refX, double refY) {
    int[] order = sortedLexicographically(points, n);
    return sweep(points, order, 0, n, refX, refY);
  }

  /**
   * Exclusive contribution of each of {@code points[0, n)}: the hypervolume lost when that point
   * alone is removed.
   *
   * <p>Sorted by (x, y), the points that no earlier point weakly dominates form the staircase s_0,
   * s_1, ... with x increasing and y decreasing. A point off the staircase contributes 0 (another
   * point covers its box). Staircase point s_k exclusively covers the rectangle R_k = [x_k,
   * x_{k+1}) x [y_k, y_{k-1}), minus whatever the points dominated only by s_k cover in it; those
   * points lie between s_k and s_{k+1} in the sort order, so every point is swept once: O(n log n).
   * An exact duplicate of s_k sorts right after it and covers all of R_k, giving 0 as it must.
   */
  static double[] contributions(double[][] points, int n, double refX, double refY) {
    double[] result = new double[n];
    int[] order = sortedLexicographically(points, n);
    int start = 0;
    double previousY = refY; // y of the previous staircase point
    while (start < n) {
      double[] s = points[order[start]];
      // the bucket of s: later points up to the next staircase point (strictly smaller y)
      int end = start + 1;
      while (end < n && points[order[end]][1] >= s[1]) {
        end++;
      }
      double nextX = end < n ? points[order[end]][0] : refX;
      double rectangle = (nextX - s[0]) * (previousY - s[1]);
      double coveredByOthers = sweep(points, order, start + 1, end, nextX, previousY);
      result[order[start]] = Math.max(0.0, rectangle - coveredByOthers);
      previousY = s[1];
      start = end;
    }
    return result;
  }

  /**
   * Hypervolume of {@code points[order[from, to)]}, already sorted by (x, y), against {@code (refX,
   * refY)}; points not strictly inside the reference box are skipped.
   */
  private static double sweep(
      double[][] points, int[] order, int from, int to, double refX, double refY) {
    double volume = 0.0;
    double currentY = refY;
    for (int s = from; s < to; s++) {
      double[] p = points[order[s]];
      if (p[1] < currentY && p[0] < refX) {
        volume += (refX - p[0]) * (currentY - p[1]);
        currentY = p[1];
      }
    }
    return volume;
  }

  private static int[] sortedLexicographically(double[][] points, int n) {
    int[] order = IndexSort.identity(n);
    IndexSort.sort(
        order,
        (a, b) -> {
          int byX = Double.compare(points[a][0], points[b][0]);
          return byX != 0 ? byX : Double.compare(points[a][1], points[b][1]);
        });
    return order;
  }
}
