package dev.knobflow.optimizers.samplers.gp;

import org.jspecify.annotations.Nullable;

/**
 * A small limited-memory BFGS minimiser with Armijo backtracking, for smooth unconstrained problems
 * (bounded ones are reparametrised by the caller).
 */
final class Lbfgs {

  /** A function value and its gradient. */
  interface Objective {
    /** Returns f(x) and writes the gradient into {@code gradient}; may return NaN or infinity. */
    double evaluate(double[] x, double[] gradient);
  }

  private Lbfgs() {}

  /**
   * Minimises from {@code start} (updated in place to the best point found) and returns the value.
   */
  static double minimize(Objective f, double[] x, int maxIterations, int memory) {
    Run run = new Run(f, x, memory);
    return Double.isFinite(run.fx) ? run.unconstrained(maxIterations) : run.fx;
  }

  /**
   * Minimises within the box {@code [low, high]} from {@code x} (inside the box; updated in place
   * to the best point found) and returns the value. Projected L-BFGS: variables held at a bound by
   * their gradient are frozen for the iteration, the quasi-Newton direction is taken over the free
   * ones, and trial points are projected onto the box.
   */
  static double minimizeInBox(
      Objective f, double[] x, double[] low, double[] high, int maxIterations, int memory) {
    return minimizeInBox(f, x, low, high, maxIterations, memory, 1e-9);
  }

  /**
   * As {@link #minimizeInBox(Objective, double[], double[], double[], int, int)}, stopping once an
   * iteration improves the value by less than {@code tolerance} times {@code max(1, |f|)}.
   */
  static double minimizeInBox(
      Objective f,
      double[] x,
      double[] low,
      double[] high,
      int maxIterations,
      int memory,
      double tolerance) {
    Run run = new Run(f, x, memory);
    return Double.isFinite(run.fx) ? run.inBox(low, high, maxIterations, tolerance) : run.fx;
  }

  /**
   * Backtracking (Armijo) line search from {@code x} along {@code direction}, halving the step up
   * to 20 times: writes the accepted point and its gradient to {@code xNew} and {@code gNew} and
   * returns its value, or NaN when no step decreased {@code f} enough. Without a box ({@code low}
   * null) the expected decrease is {@code step * slope}; within one, trial points are projected
   * onto the box and the decrease is measured along the projected step.
   */
  private static double lineSearch(
      Objective f,
      double[] x,
      double fx,
      double[] g,
      double[] direction,
      double slope,
      double @Nullable [] low,
      double @Nullable [] high,
      double[] xNew,
      double[] gNew) {
    double step = 1.0;
    for (int ls = 0; ls < 20; ls++) {
      double decrease = 0;
      for (int j = 0; j < x.length; j++) {
        if (low == null) {
          xNew[j] = x[j] + step * direction[j];
        } else {
          xNew[j] = Math.min(high[j], Math.max(low[j], x[j] + step * direction[j]));
          decrease += g[j] * (xNew[j] - x[j]);
        }
      }
      double fNew = f.evaluate(xNew, gNew);
      double bound = low == null ? fx + 1e-4 * step * slope : fx + 1e-4 * decrease;
      if (Double.isFinite(fNew) && fNew <= bound) {
        return fNew;
      }
      step *= 0.5;
    }
    return Double.NaN;
  }

  /**
   * One minimisation's state: the point {@code x} (the caller's array, moved in place), its value
   * and gradient, the curvature pairs and the scratch arrays of the line search.
   */
  private static final class Run {
    final Objective f;
    final double[] x;
    final double[] g;
    final History history;
    final double[] direction;
    final double[] xNew;
    final double[] gNew;
    double fx;

    Run(Objective f, double[] x, int memory) {
      int d = x.length;
      this.f = f;
      this.x = x;
      this.g = new double[d];
      this.fx = f.evaluate(x, g);
      this.history = new History(memory, d);
      this.direction = new double[d];
      this.xNew = new double[d];
      this.gNew = new double[d];
    }

    /** The unconstrained iterations of {@link Lbfgs#minimize}; returns the final value. */
    double unconstrained(int maxIterations) {
      int d = x.length;
      for (int iter = 0; iter < maxIterations; iter++) {
        // direction = -H g; without curvature pairs, a steepest-descent step of length at most 1.
        System.arraycopy(g, 0, direction, 0, d);
        double firstScale = 1.0;
        if (history.isEmpty()) {
          double norm = Math.sqrt(dot(g, g));
          firstScale = norm > 0 ? 1.0 / Math.max(1.0, norm) : 1.0;
        }
        history.applyInverseHessian(direction, firstScale);
        scale(direction, -1.0);
        double slope = dot(direction, g);
        if (!(slope < 0)) {
          // Not a descent direction: restart from steepest descent.
          for (int j = 0; j < d; j++) {
            direction[j] = -g[j];
          }
          slope = -dot(g, g);
          history.clear();
        }
        double improvement = step(slope, null, null);
        if (Double.isNaN(improvement)
            || improvement < 1e-7 * Math.max(1.0, Math.abs(fx))
            || Math.sqrt(dot(g, g)) < 1e-5) {
          break;
        }
      }
      return fx;
    }

    /** The projected iterations of {@link Lbfgs#minimizeInBox}; returns the final value. */
    double inBox(double[] low, double[] high, int maxIterations, double tolerance) {
      int d = x.length;
      boolean[] free = new boolean[d];
      for (int iter = 0; iter < maxIterations; iter++) {
        double projectedNorm = 0;
        for (int j = 0; j < d; j++) {
          free[j] = !(x[j] <= low[j] && g[j] > 0) && !(x[j] >= high[j] && g[j] < 0);
          if (free[j]) {
            projectedNorm = Math.max(projectedNorm, Math.abs(g[j]));
          }
        }
        if (projectedNorm < 1e-6) {
          break;
        }
        for (int j = 0; j < d; j++) {
          direction[j] = free[j] ? g[j] : 0;
        }
        history.applyInverseHessian(direction, 0.1 / projectedNorm);
        for (int j = 0; j < d; j++) {
          direction[j] = free[j] ? -direction[j] : 0;
        }
        if (!(dot(direction, g) < 0)) {
          for (int j = 0; j < d; j++) {
            direction[j] = free[j] ? -g[j] * 0.1 / projectedNorm : 0;
          }
          history.clear();
        }
        double improvement = step(0, low, high);
        if (Double.isNaN(improvement) || improvement < tolerance * Math.max(1.0, Math.abs(fx))) {
          break;
        }
      }
      return fx;
    }

    /**
     * Searches along {@code direction} (within {@code [low, high]} when {@code low} is not null);
     * on success records the curvature pair, moves {@code x}, {@code g} and {@code fx} to the
     * accepted point and returns the improvement, otherwise returns NaN and moves nothing.
     */
    double step(double slope, double @Nullable [] low, double @Nullable [] high) {
      double fNew = lineSearch(f, x, fx, g, direction, slope, low, high, xNew, gNew);
      if (Double.isNaN(fNew)) {
        return Double.NaN;
      }
      history.add(x, xNew, g, gNew);
      System.arraycopy(xNew, 0, x, 0, x.length);
      System.arraycopy(gNew, 0, g, 0, g.length);
      double improvement = fx - fNew;
      fx = fNew;
      return improvement;
    }
  }

  /** The last {@code memory} curvature pairs (step, gradient change) and the two-loop recursion. */
  private static final class History {
    private final double[][] s;
    private final double[][] y;
    private final double[] rho;
    private final double[] alpha;
    private final int memory;
    private int stored;
    private int head;

    History(int memory, int d) {
      this.memory = memory;
      s = new double[memory][d];
      y = new double[memory][d];
      rho = new double[memory];
      alpha = new double[memory];
    }

    boolean isEmpty() {
      return stored == 0;
    }

    void clear() {
      stored = 0;
    }

    /**
     * Replaces {@code q} by the inverse-Hessian estimate times {@code q}; with no pairs stored, by
     * {@code firstScale q}.
     */
    void applyInverseHessian(double[] q, double firstScale) {
      for (int k = 0; k < stored; k++) {
        int i = Math.floorMod(head - 1 - k, memory);
        alpha[i] = rho[i] * dot(s[i], q);
        axpy(-alpha[i], y[i], q);
      }
      if (stored > 0) {
        int last = Math.floorMod(head - 1, memory);
        scale(q, dot(s[last], y[last]) / dot(y[last], y[last]));
      } else {
        scale(q, firstScale);
      }
      for (int k = stored - 1; k >= 0; k--) {
        int i = Math.floorMod(head - 1 - k, memory);
        double beta = rho[i] * dot(y[i], q);
        axpy(alpha[i] - beta, s[i], q);
      }
    }

    /** Stores the step from {@code x} to {@code xNew} when its curvature is positive. */
    void add(double[] x, double[] xNew, double[] g, double[] gNew) {
      double[] sNext = s[head];
      double[] yNext = y[head];
      for (int j = 0; j < x.length; j++) {
        sNext[j] = xNew[j] - x[j];
        yNext[j] = gNew[j] - g[j];
      }
      double sy = dot(sNext, yNext);
      if (sy > 1e-12) {
        rho[head] = 1.0 / sy;
        head = (head + 1) % memory;
        stored = Math.min(stored + 1, memory);
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
