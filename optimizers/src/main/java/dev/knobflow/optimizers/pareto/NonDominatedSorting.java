package dev.knobflow.optimizers.pareto;

/**
 * Exact non-dominated sorting of points in minimisation form, with optional constraint domination.
 *
 * <p>Algorithms (all exact, all return the same ranks as Deb's fast non-dominated sort):
 *
 * <ul>
 *   <li>1 objective: sort, then dense ranks of the distinct values, O(n log n).
 *   <li>2 objectives: lexicographic sort and a sweep keeping the best second objective of each
 *       front, with a binary search over fronts, O(n log n).
 *   <li>3 or more objectives: Efficient Non-dominated Sort with binary search (ENS-BS, Zhang et al.
 *       2015): after a lexicographic sort only earlier points can dominate later ones, and "some
 *       point of front k dominates p" is monotone in k. O(m n log n) best case, O(m n^2) worst case
 *       (all points in one front), O(n) extra memory.
 * </ul>
 *
 * <p>Ties and special values: exactly equal points never dominate each other, so duplicates share a
 * rank. {@code NaN} is treated as {@code +Infinity} (worse than every number, equal to {@code
 * +Infinity}), and {@code -0.0} equals {@code 0.0}. The input is never modified.
 */
public final class NonDominatedSorting {

  private NonDominatedSorting() {}

  /**
   * Sorts points by Pareto dominance.
   *
   * @param points {@code points[i][j]} is objective {@code j} of point {@code i}, minimised
   * @return ranks and fronts
   * @throws IllegalArgumentException if {@code points} or a row is null, a row is empty or rows
   *     differ in length
   */
  public static Fronts sort(double[][] points) {
    int m = Checks.requireMatrix(points, "points");
    return Fronts.fromDenseRanks(ranks(points, m));
  }

  /**
   * Sorts points by constraint domination ({@link Dominance#constrainedDominates}): points are
   * grouped by total violation, smallest first (feasible points, violation 0, first); each group is
   * sorted by Pareto dominance and its fronts follow the previous group's. So two infeasible points
   * with equal violation share a front unless one Pareto-dominates the other. A {@code NaN}
   * violation counts as {@code +Infinity}.
   *
   * @param points {@code points[i][j]} is objective {@code j} of point {@code i}, minimised
   * @param violations total constraint violation of each point, {@code >= 0} (see {@link
   *     ConstraintViolation#totals(double[][])})
   * @throws IllegalArgumentException if {@code violations} is null, has a different length than
   *     {@code points} or holds a negative value, or {@code points} is invalid
   */
  public static Fronts sort(double[][] points, double[] violations) {
    int m = Checks.requireMatrix(points, "points");
    if (violations == null) {
      throw new IllegalArgumentException("violations must not be null");
    }
    int n = points.length;
    if (violations.length != n) {
      throw new IllegalArgumentException(
          "violations has " + violations.length + " entries but points has " + n + " rows");
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Dominance.requireViolation(violations[i], "violations[" + i + "]");
    }
    int[] order = IndexSort.identity(n);
    IndexSort.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    int[] result = new int[n];
    int frontsUsed = 0;
    for (int start = 0; start < n; ) {
      int end = start + 1;
      while (end < n && v[order[end]] == v[order[start]]) {
        end++;
      }
      double[][] group = new double[end - start][];
      for (int k = start; k < end; k++) {
        group[k - start] = points[order[k]];
      }
      int[] groupRanks = ranks(group, m);
      int groupFronts = 0;
      for (int k = start; k < end; k++) {
        result[order[k]] = frontsUsed + groupRanks[k - start];
        groupFronts = Math.max(groupFronts, groupRanks[k - start] + 1);
      }
      frontsUsed += groupFronts;
      start = end;
    }
    return Fronts.fromDenseRanks(result);
  }

  /**
   * Returns the indices of the Pareto front (rank 0) in ascending order; shorthand for {@code
   * sort(points).paretoFront()}.
   */
  public static int[] paretoFront(double[][] points) {
    return sort(points).paretoFront();
  }

  /** Dense ranks of validated points with {@code m} objectives. */
  private static int[] ranks(double[][] points, int m) {
    int n = points.length;
    if (n == 0) {
      return new int[0];
    }
    double[] values = new double[n * m]; // row-major copy for locality
    for (int i = 0; i < n; i++) {
      double[] row = points[i];
      for (int j = 0; j < m; j++) {
        values[i * m + j] = Checks.sanitize(row[j]);
      }
    }
    int[] order = IndexSort.identity(n);
    IndexSort.sort(order, (a, b) -> compareLexicographic(values, m, a, b));
    int[] rank = new int[n];
    if (m == 1) {
      rankOneObjective(values, order, rank);
    } else if (m == 2) {
      rankTwoObjectives(values, order, rank);
    } else {
      rankEnsBinarySearch(values, m, order, rank);
    }
    return rank;
  }

  private static int compareLexicographic(double[] values, int m, int a, int b) {
    int oa = a * m;
    int ob = b * m;
    for (int j = 0; j < m; j++) {
      double x = values[oa + j];
      double y = values[ob + j];
      if (x < y) {
        return -1;
      }
      if (x > y) {
        return 1;
      }
    }
    return 0;
  }

  private static void rankOneObjective(double[] values, int[] order, int[] rank) {
    int current = 0;
    for (int s = 1; s < order.length; s++) {
      if (values[order[s]] > values[order[s - 1]]) {
        current++;
      }
      rank[order[s]] = current;
    }
    rank[order[0]] = 0;
  }

  /**
   * In lexicographic order every earlier point q has q0 <= p0, so a non-equal earlier q dominates p
   * exactly when q1 <= p1. Front k is then summarised by the smallest second objective among its
   * members, and these minima are non-decreasing in k.
   */
  private static void rankTwoObjectives(double[] values, int[] order, int[] rank) {
    int n = order.length;
    double[] frontMin = new double[n];
    int frontCount = 0;
    for (int s = 0; s < n; s++) {
      int p = order[s];
      double y = values[2 * p + 1];
      if (s > 0 && compareLexicographic(values, 2, order[s - 1], p) == 0) {
        rank[p] = rank[order[s - 1]];
        continue;
      }
      int lo = 0;
      int hi = frontCount;
      while (lo < hi) { // first front whose minimum is > y, i.e. that does not dominate p
        int mid = (lo + hi) >>> 1;
        if (frontMin[mid] <= y) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      rank[p] = lo;
      frontMin[lo] = y;
      if (lo == frontCount) {
        frontCount++;
      }
    }
  }

  private static void rankEnsBinarySearch(double[] values, int m, int[] order, int[] rank) {
    int n = order.length;
    int[][] members = new int[Math.min(n, 16)][];
    int[] sizes = new int[members.length];
    int frontCount = 0;
    for (int s = 0; s < n; s++) {
      int p = order[s];
      int k;
      if (s > 0 && compareLexicographic(values, m, order[s - 1], p) == 0) {
        k = rank[order[s - 1]];
      } else {
        int lo = 0;
        int hi = frontCount;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (frontDominates(values, m, members[mid], sizes[mid], p)) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        k = lo;
      }
      rank[p] = k;
      if (k == frontCount) {
        if (k == members.length) {
          members = java.util.Arrays.copyOf(members, 2 * k);
          sizes = java.util.Arrays.copyOf(sizes, 2 * k);
        }
        members[k] = new int[4];
        frontCount++;
      }
      if (sizes[k] == members[k].length) {
        members[k] = java.util.Arrays.copyOf(members[k], 2 * sizes[k]);
      }
      members[k][sizes[k]++] = p;
    }
  }

  /**
   * Whether some member of a front dominates {@code p}. Members precede {@code p} in lexicographic
   * order and none equals {@code p} (duplicates are handled before), so a member dominates {@code
   * p} exactly when it is no worse in objectives 1..m-1. Newest members are tried first: they are
   * the closest in the sort order and so the likeliest to dominate.
   */
  private static boolean frontDominates(double[] values, int m, int[] front, int size, int p) {
    int op = p * m;
    for (int t = size - 1; t >= 0; t--) {
      int oq = front[t] * m;
      boolean noWorse = true;
      for (int j = 1; j < m; j++) {
        if (values[oq + j] > values[op + j]) {
          noWorse = false;
          break;
        }
      }
      if (noWorse) {
        return true;
      }
    }
    return false;
  }
}
