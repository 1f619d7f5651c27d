package dev.knobflow.optimizers.pareto;

/**
 * Exact hypervolume for four or more objectives by the WFG algorithm (While, Bradstreet and Barone
 * 2012), bottoming out in the three-objective sweep of {@link Hv3d}.
 *
 * <p>The points are sorted by their last objective d. Then hv(S) is the sum over points p, in that
 * order, of p's exclusive contribution relative to the points before it, and that contribution is
 * {@code (ref_d - p_d) * (box_{d-1}(p) - hv_{d-1}(nd(limit(before, p))))}: every earlier point q
 * has {@code q_d <= p_d}, so limiting q to p's box ({@code max(q, p)} per objective) makes the last
 * objective constant and the problem drops a dimension. Limit sets are small after the
 * non-dominated filter, which is where WFG's speed comes from; a limit point that weakly dominates
 * p's projection means p adds nothing and the recursion is skipped. Worst case exponential in d
 * like every exact method; fast in practice for the front sizes samplers keep.
 *
 * <p>Points are rows whose first d entries are used, each strictly better than the reference.
 */
final class Wfg {

  private Wfg() {}

  /** Hypervolume of {@code points[0, n)} in the first {@code d >= 3} objectives. */
  static double volume(double[][] points, int n, int d, double[] reference) {
    if (d == 3) {
      return Hv3d.volume(points, n, reference);
    }
    double[][] work = java.util.Arrays.copyOf(points, n);
    int kept = keepNonDominated(work, n, d);
    return sliced(work, kept, d, reference);
  }

  /** {@code points} are mutually non-dominated in the first {@code d} objectives. */
  private static double sliced(double[][] points, int n, int d, double[] reference) {
    if (d == 3) {
      return Hv3d.volume(points, n, reference);
    }
    if (n == 0) {
      return 0.0;
    }
    if (n == 1) {
      return box(points[0], d, reference);
    }
    int last = d - 1;
    int[] order = IndexSort.identity(n);
    IndexSort.sort(order, (a, b) -> Double.compare(points[a][last], points[b][last]));
    double[][] limitRows = new double[n][last];
    double[][] limited = new double[n][];
    double volume = 0.0;
    for (int s = 0; s < n; s++) {
      double[] p = points[order[s]];
      int k = 0;
      boolean covered = false;
      for (int t = 0; t < s && !covered; t++) {
        double[] q = points[order[t]];
        double[] row = limitRows[k];
        boolean noWorse = true;
        for (int c = 0; c < last; c++) {
          double qc = q[c];
          double pc = p[c];
          if (qc > pc) {
            row[c] = qc;
            noWorse = false;
          } else {
            row[c] = pc;
          }
        }
        covered = noWorse;
        limited[k++] = row;
      }
      if (covered) {
        continue;
      }
      int kept = last > 3 ? keepNonDominated(limited, k, last) : k;
      double exclusive = box(p, last, reference) - sliced(limited, kept, last, reference);
      volume += (reference[last] - p[last]) * exclusive;
    }
    return volume;
  }

  /** Volume of the box between {@code p} and the reference in the first {@code d} objectives. */
  static double box(double[] p, int d, double[] reference) {
    double volume = 1.0;
    for (int c = 0; c < d; c++) {
      volume *= reference[c] - p[c];
    }
    return volume;
  }

  /**
   * Moves the rows of {@code rows[0, n)} that no other row weakly dominates in the first {@code d}
   * objectives to the front of the array (one copy of each duplicate) and returns their count. In
   * lexicographic order only earlier rows can weakly dominate later ones, so each row is compared
   * with the rows kept so far.
   */
  static int keepNonDominated(double[][] rows, int n, int d) {
    int[] order = IndexSort.identity(n);
    IndexSort.sort(
        order,
        (a, b) -> {
          double[] x = rows[a];
          double[] y = rows[b];
          for (int c = 0; c < d; c++) {
            int cmp = Double.compare(x[c], y[c]);
            if (cmp != 0) {
              return cmp;
            }
          }
          return 0;
        });
    double[][] kept = new double[n][];
    int count = 0;
    for (int s = 0; s < n; s++) {
      double[] p = rows[order[s]];
      boolean dominated = false;
      for (int t = count - 1; t >= 0 && !dominated; t--) {
        double[] q = kept[t];
        boolean noWorse = true;
        for (int c = 1; c < d; c++) { // c = 0 holds by the sort order
          if (q[c] > p[c]) {
            noWorse = false;
            break;
          }
        }
        dominated = noWorse;
      }
      if (!dominated) {
        kept[count++] = p;
      }
    }
    System.arraycopy(kept, 0, rows, 0, count);
    return count;
  }
}
