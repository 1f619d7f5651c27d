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
    int[] order = IndexSort.identity(n);
    IndexSort.sort(order, (a, b) -> Double.compare(points[a][2], points[b][2]));
    double refX = reference[0];
    double refY = reference[1];
    double[] xs = new double[n];
    double[] ys = new double[n];
    int size = 0;
    double area = 0.0;
    double volume = 0.0;
    double previousZ = points[order[0]][2];
    for (int s = 0; s < n; s++) {
      double[] p = points[order[s]];
      volume += area * (p[2] - previousZ);
      previousZ = p[2];
      double x = p[0];
      double y = p[1];
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
    volume += area * (reference[2] - previousZ);
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
