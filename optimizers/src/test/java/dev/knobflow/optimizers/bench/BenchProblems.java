package dev.knobflow.optimizers.bench;

import java.util.List;

/**
 * The benchmark problems of bench/model-based, identical to those in optuna_bench.py: bounds per
 * variable, objective count, and the function (all minimised).
 */
public final class BenchProblems {

  /** A test problem. */
  public record Problem(
      String name, double[] low, double[] high, int objectives, double optimum, Fn fn) {
    public int dimension() {
      return low.length;
    }
  }

  /** The objective function. */
  public interface Fn {
    double[] apply(double[] x);
  }

  private BenchProblems() {}

  /** ZDT1 with 6 variables (HV optimum 0.8767 for reference (1.1, 1.1)). */
  public static Problem zdt1() {
    return new Problem("zdt1", zeros(6), ones(6), 2, 0.8767, x -> zdt(x, false));
  }

  /** ZDT2 with 6 variables (HV optimum 0.5433). */
  public static Problem zdt2() {
    return new Problem("zdt2", zeros(6), ones(6), 2, 0.5433, x -> zdt(x, true));
  }

  /** DTLZ2 with 6 variables and 3 objectives (HV optimum 0.8074 for reference (1.1, 1.1, 1.1)). */
  public static Problem dtlz2() {
    return new Problem("dtlz2", zeros(6), ones(6), 3, 0.8074, BenchProblems::dtlz2);
  }

  /** Branin on [-5, 10] x [0, 15], minimum 0.397887. */
  public static Problem branin() {
    return new Problem(
        "branin",
        new double[] {-5, 0},
        new double[] {10, 15},
        1,
        0.397887357729739,
        x -> {
          double a = 1;
          double b = 5.1 / (4 * Math.PI * Math.PI);
          double c = 5 / Math.PI;
          double t = 1 / (8 * Math.PI);
          double y = x[1] - b * x[0] * x[0] + c * x[0] - 6;
          return new double[] {a * y * y + 10 * (1 - t) * Math.cos(x[0]) + 10};
        });
  }

  /** Hartmann-6 on [0, 1]^6, minimum -3.32237. */
  public static Problem hartmann6() {
    double[] alpha = {1.0, 1.2, 3.0, 3.2};
    double[][] a = {
      {10, 3, 17, 3.5, 1.7, 8},
      {0.05, 10, 17, 0.1, 8, 14},
      {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}
    };
    double[][] p = {
      {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
      {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
      {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
      {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}
    };
    return new Problem(
        "hartmann6",
        zeros(6),
        ones(6),
        1,
        -3.32237,
        x -> {
          double s = 0;
          for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
              inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
            }
            s += alpha[i] * Math.exp(-inner);
          }
          return new double[] {-s};
        });
  }

  /** Rosenbrock with 10 variables on [-5, 10]^10, minimum 0. */
  public static Problem rosenbrock10() {
    double[] low = new double[10];
    double[] high = new double[10];
    java.util.Arrays.fill(low, -5);
    java.util.Arrays.fill(high, 10);
    return new Problem(
        "rosenbrock10",
        low,
        high,
        1,
        0.0,
        x -> {
          double s = 0;
          for (int i = 0; i < x.length - 1; i++) {
            s += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
          }
          return new double[] {s};
        });
  }

  /** Every problem. */
  public static List<Problem> all() {
    return List.of(zdt1(), zdt2(), dtlz2(), branin(), hartmann6(), rosenbrock10());
  }

  private static double[] zdt(double[] x, boolean concave) {
    int n = x.length;
    double f1 = x[0];
    double sum = 0;
    for (int i = 1; i < n; i++) {
      sum += x[i];
    }
    double g = 1 + 9 * sum / (n - 1);
    double ratio = f1 / g;
    double h = concave ? 1 - ratio * ratio : 1 - Math.sqrt(ratio);
    return new double[] {f1, g * h};
  }

  private static double[] dtlz2(double[] x) {
    int m = 3;
    double g = 0;
    for (int i = m - 1; i < x.length; i++) {
      g += (x[i] - 0.5) * (x[i] - 0.5);
    }
    double a = x[0] * Math.PI / 2;
    double b = x[1] * Math.PI / 2;
    return new double[] {
      (1 + g) * Math.cos(a) * Math.cos(b),
      (1 + g) * Math.cos(a) * Math.sin(b),
      (1 + g) * Math.sin(a)
    };
  }

  private static double[] zeros(int n) {
    return new double[n];
  }

  private static double[] ones(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, 1.0);
    return o;
  }
}
