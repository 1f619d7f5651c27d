package dev.knobflow.optimizers.pareto;

/**
 * Exact hypervolume (the Lebesgue measure of the region that a set of points dominates and that is
 * bounded by a reference point) and exclusive hypervolume contributions, in minimisation form.
 *
 * <p>Only points strictly better than the reference in every objective count; others (including
 * points with a {@code NaN} or {@code +Infinity} objective) contribute nothing and are ignored.
 * Dominated points and duplicates are allowed and handled exactly.
 *
 * <p>Algorithms: 1 objective, the best value; 2 objectives, a sweep, O(n log n); 3 objectives, the
 * HV3D sweep, O(n log n) comparisons; 4 or more, WFG (While, Bradstreet and Barone 2012) over the
 * three-objective sweep.
 */
public final class Hypervolume {

  private Hypervolume() {}

  /**
   * Returns the hypervolume of {@code points} against {@code reference}.
   *
   * @param points {@code points[i][j]} is objective {@code j} of point {@code i}, minimised; may be
   *     empty
   * @param reference the reference point, finite, one entry per objective
   * @return the hypervolume, {@code >= 0}
   * @throws IllegalArgumentException if an argument or row is null, the reference is not finite, a
   *     row's length differs from the reference's, or a coordinate is {@code -Infinity} (the volume
   *     would be unbounded)
   */
  public static double compute(double[][] points, double[] reference) {
    int m = requireReference(reference);
    Checks.requireMatrix(points, "points", m, "reference");
    double[][] inside = new double[points.length][];
    int n = collectInside(points, reference, inside, null);
    return volume(inside, n, m, reference);
  }

  /**
   * Returns the exclusive contribution of every point: the hypervolume that would be lost if that
   * point alone were removed, {@code compute(all) - compute(all without i)}.
   *
   * <p>Points outside the reference box, weakly dominated points and exact duplicates contribute 0
   * (removing one of two equal points loses nothing). Cost: O(n log n) for 2 objectives; for 3 or
   * more, per point a hypervolume of its limit set ({@code max(q, p)} for every other point q),
   * which is O(n^2 log n) in total for 3 objectives.
   *
   * @param points as for {@link #compute(double[][], double[])}
   * @param reference as for {@link #compute(double[][], double[])}
   * @return {@code result[i]} is the contribution of {@code points[i]}, {@code >= 0}
   * @throws IllegalArgumentException as for {@link #compute(double[][], double[])}
   */
  public static double[] contributions(double[][] points, double[] reference) {
    int m = requireReference(reference);
    Checks.requireMatrix(points, "points", m, "reference");
    double[] result = new double[points.length];
    double[][] inside = new double[points.length][];
    int[] source = new int[points.length];
    int n = collectInside(points, reference, inside, source);
    if (n == 0) {
      return result;
    }
    double[] inner;
    if (m == 1) {
      inner = contributionsOneObjective(inside, n, reference[0]);
    } else if (m == 2) {
      inner = Hv2d.contributions(inside, n, reference[0], reference[1]);
    } else {
      inner = contributionsByLimitSets(inside, n, m, reference);
    }
    for (int t = 0; t < n; t++) {
      result[source[t]] = inner[t];
    }
    return result;
  }

  /** Hypervolume of {@code points[0, n)}, all strictly inside the reference box. */
  static double volume(double[][] points, int n, int m, double[] reference) {
    if (n == 0) {
      return 0.0;
    }
    switch (m) {
      case 1:
        double best = points[0][0];
        for (int i = 1; i < n; i++) {
          best = Math.min(best, points[i][0]);
        }
        return reference[0] - best;
      case 2:
        return Hv2d.volume(points, n, reference[0], reference[1]);
      default:
        return Wfg.volume(points, n, m, reference);
    }
  }

  private static double[] contributionsOneObjective(double[][] points, int n, double reference) {
    int best = 0;
    double secondValue = reference;
    for (int i = 1; i < n; i++) {
      double value = points[i][0];
      if (value < points[best][0]) {
        secondValue = points[best][0];
        best = i;
      } else if (value < secondValue) {
        secondValue = value;
      }
    }
    double[] result = new double[n];
    result[best] = secondValue - points[best][0]; // 0 when the best value occurs twice
    return result;
  }

  /**
   * The contribution of p is its box minus the hypervolume of its limit set; a point weakly
   * dominated by another (duplicates included) contributes 0 without computing anything.
   */
  private static double[] contributionsByLimitSets(
      double[][] points, int n, int m, double[] reference) {
    double[] result = new double[n];
    double[][] limitRows = new double[n][m];
    double[][] limited = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] p = points[i];
      int k = 0;
      boolean covered = false;
      for (int t = 0; t < n && !covered; t++) {
        if (t == i) {
          continue;
        }
        double[] q = points[t];
        double[] row = limitRows[k];
        boolean noWorse = true;
        for (int c = 0; c < m; c++) {
          if (q[c] > p[c]) {
            row[c] = q[c];
            noWorse = false;
          } else {
            row[c] = p[c];
          }
        }
        covered = noWorse;
        limited[k++] = row;
      }
      if (!covered) {
        double exclusive = Wfg.box(p, m, reference) - volume(limited, k, m, reference);
        result[i] = Math.max(0.0, exclusive);
      }
    }
    return result;
  }

  private static int requireReference(double[] reference) {
    if (reference == null) {
      throw new IllegalArgumentException("reference must not be null");
    }
    if (reference.length == 0) {
      throw new IllegalArgumentException("reference must have at least one objective");
    }
    for (int j = 0; j < reference.length; j++) {
      if (!Double.isFinite(reference[j])) {
        throw new IllegalArgumentException(
            "reference[" + j + "] is " + reference[j] + "; it must be finite");
      }
    }
    return reference.length;
  }

  /**
   * Copies the points strictly inside the reference box into {@code inside} (with -0.0 mapped to
   * 0.0 so sorts and comparisons agree), records their original indices in {@code source} when
   * given, and returns how many there are.
   */
  private static int collectInside(
      double[][] points, double[] reference, double[][] inside, int[] source) {
    int m = reference.length;
    int n = 0;
    for (int i = 0; i < points.length; i++) {
      double[] row = points[i];
      boolean strictlyBetter = true;
      for (int j = 0; j < m; j++) {
        double value = row[j];
        if (value == Double.NEGATIVE_INFINITY) {
          throw new IllegalArgumentException(
              "points[" + i + "][" + j + "] is -Infinity; the hypervolume would be unbounded");
        }
        if (!(value < reference[j])) {
          strictlyBetter = false;
        }
      }
      if (strictlyBetter) {
        double[] copy = new double[m];
        for (int j = 0; j < m; j++) {
          copy[j] = row[j] + 0.0;
        }
        inside[n] = copy;
        if (source != null) {
          source[n] = i;
        }
        n++;
      }
    }
    return n;
  }
}
