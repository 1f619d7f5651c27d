package dev.knobflow.optimizers.pareto;

/**
 * Exact three-objective hypervolume by the HV3D sweep (Beume, Fonseca et al. 2009): points are
 * visited in increasing third objective while a two-dimensional staircase of the non-dominated (x,
 * y) projections seen so far, with its area, is maintained; the volume is the sum of area times
 * slab height. The staircase is kept in two sorted primitive arrays, so an insertion is a binary
 * search plus an array shift: O(n log n) comparisons and at worst O(n^2) element moves, which
 * {@code System.arraycopy} makes negligible for the sizes samplers use.
 *
 * <p>Points are rows whose first three entries are used; every point must be strictly better than
 * the reference in all three. Dominated points and duplicates are allowed.
 */
final class Hv3d {

  private Hv3d() {}

  static double volume(double[][] points, int n, double[] reference) {
    if (n == 0) {
      return 0.0;
    }
    int[] order = sortedByThird(points, n);
    return sweep(points, order, n, null, null, 0, -1, reference, new double[n], new double[n]);
  }

  /** Indices {@code 0..n-1} sorted by the third objective. */
  static int[] sortedByThird(double[][] points, int n) {
    int[] order = IndexSort.identity(n);
    IndexSort.sort(order, (a, b) -> Double.compare(points[a][2], points[b][2]));
    return order;
  }

  /**
   * Exclusive contribution of each of {@code points[0, n)}: its box minus the volume of its limit
   * set {@code {max(q, p)}}. Mapping q to {@code max(q, p)} keeps the order by third objective, so
   * the points are sorted once and every limit set is swept in that order without being built:
   * O(n^2 log n) time in total and O(n) extra memory. A point weakly dominated by another,
   * duplicates included, contributes exactly 0.
   */
  static double[] contributions(double[][] points, int n, double[] reference) {
    double[] result = new double[n];
    int[] order = sortedByThird(points, n);
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      double[] p = points[i];
      if (weaklyDominatedByAnother(points, n, i)) {
        continue;
      }
      double box = (reference[0] - p[0]) * (reference[1] - p[1]) * (reference[2] - p[2]);
      double limited = sweep(points, order, n, p, null, 0, i, reference, xs, ys);
      result[i] = Math.max(0.0, box - limited);
    }
    return result;
  }

  private static boolean weaklyDominatedByAnother(double[][] points, int n, int i) {
    double[] p = points[i];
    for (int t = 0; t < n; t++) {
      double[] q = points[t];
      if (t != i && q[0] <= p[0] && q[1] <= p[1] && q[2] <= p[2]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The sweep. Visits {@code points[order[t]]} for t in [0, n), skipping index {@code skip} and,
   * when {@code position} is given, every index whose position is {@code >= limit}; each visited
   * point q is replaced by {@code max(q, floor)} when {@code floor} is given. {@code order} must
   * sort the visited points by third objective. {@code xs} and {@code ys} are scratch space of at
   * least n entries.
   */
  static double sweep(
      double[][] points,
      int[] order,
      int n,
      double[] floor,
      int[] position,
      int limit,
      int skip,
      double[] reference,
      double[] xs,
      double[] ys) {
    double floorX = floor == null ? Double.NEGATIVE_INFINITY : floor[0];
    double floorY = floor == null ? Double.NEGATIVE_INFINITY : floor[1];
    double floorZ = floor == null ? Double.NEGATIVE_INFINITY : floor[2];
    double refX = reference[0];
    double refY = reference[1];
    int size = 0;
    double area = 0.0;
    double volume = 0.0;
    double previousZ = Double.NaN;
    for (int s = 0; s < n; s++) {
      int index = order[s];
      if (index == skip || (position != null && position[index] >= limit)) {
        continue;
      }
      double[] p = points[index];
      double z = Math.max(p[2], floorZ);
      if (size > 0) {
        volume += area * (z - previousZ);
      }
      previousZ = z;
      double x = Math.max(p[0], floorX);
      double y = Math.max(p[1], floorY);
      int upper = upperBound(xs, size, x); // first staircase index with xs > x
      if (upper > 0 && ys[upper - 1] <= y) {
        continue; // weakly dominated in (x, y) by a point that is also no worse in z
      }
      // first index with xs >= x; a staircase point with the same x has larger y and is dominated
      int start = (upper > 0 && xs[upper - 1] == x) ? upper - 1 : upper;
      double heightBefore = start > 0 ? ys[start - 1] : refY;
      double nextX = start < size ? xs[start] : refX;
      double gain = (nextX - x) * (heightBefore - y);
      int end = start;
      while (end < size && ys[end] >= y) { // staircase points dominated by p
        double segmentEnd = end + 1 < size ? xs[end + 1] : refX;
        gain += (segmentEnd - xs[end]) * (ys[end] - y);
        end++;
      }
      area += gain;
      int removed = end - start;
      if (removed != 1) {
        System.arraycopy(xs, end, xs, start + 1, size - end);
        System.arraycopy(ys, end, ys, start + 1, size - end);
      }
      xs[start] = x;
      ys[start] = y;
      size += 1 - removed;
    }
    if (size > 0) {
      volume += area * (reference[2] - previousZ);
    }
    return volume;
  }

  private static int upperBound(double[] sorted, int size, double key) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
