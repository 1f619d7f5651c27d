package dev.knobflow.optimizers.pareto;

import java.util.Arrays;
import java.util.Random;

/** Slow, obviously correct reference implementations that the tests compare against. */
final class BruteForce {

  private BruteForce() {}

  /** Ranks by repeatedly peeling off the points no remaining point dominates: O(n^3 m). */
  static int[] ranks(double[][] points, double[] violations) {
    int n = points.length;
    int[] rank = new int[n];
    boolean[] done = new boolean[n];
    int remaining = n;
    int current = 0;
    while (remaining > 0) {
      boolean[] inFront = new boolean[n];
      for (int i = 0; i < n; i++) {
        if (done[i]) {
          continue;
        }
        boolean dominated = false;
        for (int j = 0; j < n && !dominated; j++) {
          if (!done[j] && j != i) {
            dominated =
                violations == null
                    ? dominates(points[j], points[i])
                    : constrainedDominates(points[j], violations[j], points[i], violations[i]);
          }
        }
        inFront[i] = !dominated;
      }
      for (int i = 0; i < n; i++) {
        if (inFront[i]) {
          rank[i] = current;
          done[i] = true;
          remaining--;
        }
      }
      current++;
    }
    return rank;
  }

  /** Textbook Pareto dominance; the inputs hold no NaN. */
  static boolean dominates(double[] a, double[] b) {
    boolean allNoWorse = true;
    boolean someBetter = false;
    for (int j = 0; j < a.length; j++) {
      allNoWorse &= a[j] <= b[j];
      someBetter |= a[j] < b[j];
    }
    return allNoWorse && someBetter;
  }

  /** Constraint domination: less violation first, equal violations by Pareto dominance. */
  static boolean constrainedDominates(double[] a, double va, double[] b, double vb) {
    if (va != vb) {
      return va < vb;
    }
    return dominates(a, b);
  }

  /**
   * Exact hypervolume by decomposing the reference box into the grid cells spanned by the distinct
   * coordinates: a cell is dominated exactly when some point is no worse than its lower corner.
   * O(n^m) cells, so only for small sets.
   */
  static double hypervolume(double[][] points, double[] reference) {
    int m = reference.length;
    double[][] inside =
        Arrays.stream(points)
            .filter(
                p -> {
                  for (int j = 0; j < m; j++) {
                    if (!(p[j] < reference[j])) {
                      return false;
                    }
                  }
                  return true;
                })
            .toArray(double[][]::new);
    if (inside.length == 0) {
      return 0.0;
    }
    double[][] grid = new double[m][];
    for (int j = 0; j < m; j++) {
      final int column = j;
      double[] values = Arrays.stream(inside).mapToDouble(p -> p[column]).toArray();
      double[] withReference = Arrays.copyOf(values, values.length + 1);
      withReference[values.length] = reference[j];
      grid[j] = Arrays.stream(withReference).sorted().distinct().toArray();
    }
    int[] cell = new int[m];
    double volume = 0.0;
    while (true) {
      boolean dominated = false;
      for (double[] p : inside) {
        boolean noWorse = true;
        for (int j = 0; j < m && noWorse; j++) {
          noWorse = p[j] <= grid[j][cell[j]];
        }
        if (noWorse) {
          dominated = true;
          break;
        }
      }
      if (dominated) {
        double cellVolume = 1.0;
        for (int j = 0; j < m; j++) {
          cellVolume *= grid[j][cell[j] + 1] - grid[j][cell[j]];
        }
        volume += cellVolume;
      }
      int j = 0;
      while (j < m && ++cell[j] == grid[j].length - 1) {
        cell[j] = 0;
        j++;
      }
      if (j == m) {
        return volume;
      }
    }
  }

  /** Uniform points in [0, 1)^m. */
  static double[][] uniform(Random random, int n, int m) {
    double[][] points = new double[n][m];
    for (double[] p : points) {
      for (int j = 0; j < m; j++) {
        p[j] = random.nextDouble();
      }
    }
    return points;
  }

  /** Points with coordinates in {0, 1, ..., levels - 1}: many ties and exact duplicates. */
  static double[][] integerGrid(Random random, int n, int m, int levels) {
    double[][] points = new double[n][m];
    for (double[] p : points) {
      for (int j = 0; j < m; j++) {
        p[j] = random.nextInt(levels);
      }
    }
    return points;
  }

  /** Mutually non-dominated points on the positive unit-sphere orthant, shuffled. */
  static double[][] sphere(Random random, int n, int m) {
    double[][] points = new double[n][m];
    for (double[] p : points) {
      double norm = 0.0;
      for (int j = 0; j < m; j++) {
        p[j] = Math.abs(random.nextGaussian()) + 1e-9;
        norm += p[j] * p[j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        p[j] /= norm;
      }
    }
    return points;
  }

  static double[][] deepCopy(double[][] points) {
    return Arrays.stream(points).map(double[]::clone).toArray(double[][]::new);
  }

  static double[][] without(double[][] points, int index) {
    double[][] rest = new double[points.length - 1][];
    for (int i = 0, t = 0; i < points.length; i++) {
      if (i != index) {
        rest[t++] = points[i];
      }
    }
    return rest;
  }
}
