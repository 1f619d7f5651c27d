package dev.knobflow.optimizers.samplers.gp;

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
    int d = x.length;
    double[] g = new double[d];
    double fx = f.evaluate(x, g);
    if (!Double.isFinite(fx)) {
      return fx;
    }
    History history = new History(memory, d);
    double[] direction = new double[d];
    double[] xNew = new double[d];
    double[] gNew = new double[d];
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
      double fNew = lineSearch(f, x, fx, g, direction, slope, null, null, xNew, gNew);
      if (Double.isNaN(fNew)) {
        break;
      }
      double improvement = moveTo(history, x, xNew, g, gNew, fx, fNew);
      fx = fNew;
      if (improvement < 1e-7 * Math.max(1.0, Math.abs(fx)) || Math.sqrt(dot(g, g)) < 1e-5) {
        break;
      }
    }
    return fx;
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
    int d = x.length;
    double[] g = new double[d];
    double fx = f.evaluate(x, g);
    if (!Double.isFinite(fx)) {
      return fx;
    }
    History history = new History(memory, d);
    double[] direction = new double[d];
    double[] xNew = new double[d];
    double[] gNew = new double[d];
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
      double fNew = lineSearch(f, x, fx, g, direction, 0, low, high, xNew, gNew);
      if (Double.isNaN(fNew)) {
        break;
      }
      double improvement = moveTo(history, x, xNew, g, gNew, fx, fNew);
      fx = fNew;
      if (improvement < tolerance * Math.max(1.0, Math.abs(fx))) {
        break;
      }
    }
    return fx;
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
      double[] low,
      double[] high,
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
   * Records the step's curvature pair and moves {@code x} and {@code g} to the accepted point;
   * returns the improvement {@code fx - fNew}.
   */
  private static double moveTo(
      History history,
      double[] x,
      double[] xNew,
      double[] g,
      double[] gNew,
      double fx,
      double fNew) {
    history.add(x, xNew, g, gNew);
    System.arraycopy(xNew, 0, x, 0, x.length);
    System.arraycopy(gNew, 0, g, 0, g.length);
    return fx - fNew;
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
