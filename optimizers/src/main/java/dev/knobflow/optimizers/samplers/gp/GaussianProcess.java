package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.samplers.NumericalFailureException;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

/**
 * A Gaussian-process regression model with a Matern 5/2 kernel and one length scale per input
 * (ARD), on inputs in [0, 1] and standardised targets.
 *
 * <p>Hyperparameters {@code theta = (log l_1 .. log l_d, log signal variance, log noise)} are
 * fitted by maximising the log marginal likelihood plus weak priors (analytic gradients, L-BFGS
 * over a bounded reparametrisation, several starts). Cholesky factorisation and triangular solves
 * are EJML's; a growing jitter is added to the diagonal if the factorisation fails (duplicate
 * inputs).
 */
public final class GaussianProcess {

  static final double SQRT5 = Math.sqrt(5.0);
  static final double MIN_LOG_LENGTH = Math.log(0.01);
  static final double MAX_LOG_LENGTH = Math.log(20.0);
  static final double MIN_LOG_SIGNAL = Math.log(0.05);
  static final double MAX_LOG_SIGNAL = Math.log(20.0);
  static final double MIN_LOG_NOISE = Math.log(1e-6);
  static final double LENGTH_PRIOR = 0.1;
  static final double MAX_LOG_NOISE = Math.log(1.0);

  /** Points per block in {@link #predict}. */
  private static final int PREDICT_BLOCK = 128;

  private final double[][] x;
  private final double[] y;
  private final double[] theta;
  private final double[] inverseSquaredLengths;
  private final double signal;
  private final double noise;
  private final DMatrixRMaj lower;
  private final double[] alpha;
  private final double logMarginalLikelihood;

  private GaussianProcess(double[][] x, double[] y, double[] theta) {
    this.x = x;
    this.y = y;
    this.theta = theta.clone();
    int d = x.length == 0 ? theta.length - 2 : x[0].length;
    inverseSquaredLengths = new double[d];
    for (int j = 0; j < d; j++) {
      inverseSquaredLengths[j] = Math.exp(-2 * theta[j]);
    }
    signal = Math.exp(theta[d]);
    noise = Math.exp(theta[d + 1]);
    int n = x.length;
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = kernel(x[i], x[j]);
        k.unsafe_set(i, j, v);
        k.unsafe_set(j, i, v);
      }
      k.unsafe_set(i, i, k.unsafe_get(i, i) + noise);
    }
    lower = choleskyWithJitter(k, signal);
    alpha = y.clone();
    logMarginalLikelihood = solveForAlpha(lower, alpha, n);
  }

  /**
   * Solves {@code K alpha = y} in place ({@code alpha} holds {@code y} on entry) with {@code K}'s
   * Cholesky factor {@code lower}, and returns the log marginal likelihood {@code -y^T K^-1 y / 2 -
   * log|K| / 2 - n log(2 pi) / 2}.
   */
  private static double solveForAlpha(DMatrixRMaj lower, double[] alpha, int n) {
    TriangularSolver_DDRM.solveL(lower.data, alpha, n);
    double quad = 0;
    for (double a : alpha) {
      quad += a * a;
    }
    TriangularSolver_DDRM.solveTranL(lower.data, alpha, n);
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      logDet += Math.log(lower.unsafe_get(i, i));
    }
    return -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);
  }

  /** A model with given hyperparameters. */
  public static GaussianProcess withTheta(double[][] x, double[] y, double[] theta) {
    return new GaussianProcess(x, y, theta);
  }

  /** The default starting hyperparameters for {@code d} inputs. */
  public static double[] defaultTheta(int d) {
    double[] t = new double[d + 2];
    for (int j = 0; j < d; j++) {
      t[j] = Math.log(0.5);
    }
    t[d] = 0.0;
    t[d + 1] = Math.log(1e-3);
    return t;
  }

  /**
   * Fits hyperparameters from each start (of length {@code d + 2}; others are skipped) and returns
   * the model with the best penalised marginal likelihood.
   */
  public static GaussianProcess fit(
      double[][] x, double[] y, List<double[]> starts, int maxIterations) {
    int d = x[0].length;
    Likelihood likelihood = new Likelihood(x, y);
    double[] best = null;
    double bestValue = Double.POSITIVE_INFINITY;
    for (double[] start : starts) {
      if (start == null || start.length != d + 2) {
        continue;
      }
      double[] phi = new double[d + 2];
      for (int j = 0; j < d + 2; j++) {
        phi[j] = toUnbounded(clamp(start[j], lowBound(j, d), highBound(j, d)), j, d);
      }
      double value = Lbfgs.minimize(likelihood, phi, maxIterations, 8);
      if (Double.isFinite(value) && value < bestValue) {
        bestValue = value;
        best = phi.clone();
      }
    }
    if (best == null) {
      return new GaussianProcess(x, y, defaultTheta(d));
    }
    double[] theta = new double[d + 2];
    for (int j = 0; j < d + 2; j++) {
      theta[j] = toBounded(best[j], j, d);
    }
    return new GaussianProcess(x, y, theta);
  }

  static double lowBound(int j, int d) {
    return j < d ? MIN_LOG_LENGTH : j == d ? MIN_LOG_SIGNAL : MIN_LOG_NOISE;
  }

  static double highBound(int j, int d) {
    return j < d ? MAX_LOG_LENGTH : j == d ? MAX_LOG_SIGNAL : MAX_LOG_NOISE;
  }

  private static double clamp(double v, double lo, double hi) {
    return Double.isNaN(v) ? 0.5 * (lo + hi) : Math.min(hi - 1e-9, Math.max(lo + 1e-9, v));
  }

  /** theta = lo + (hi - lo) * sigmoid(phi). */
  static double toBounded(double phi, int j, int d) {
    double lo = lowBound(j, d);
    double hi = highBound(j, d);
    return lo + (hi - lo) / (1 + Math.exp(-phi));
  }

  private static double toUnbounded(double theta, int j, int d) {
    double lo = lowBound(j, d);
    double hi = highBound(j, d);
    double p = (theta - lo) / (hi - lo);
    return Math.log(p / (1 - p));
  }

  /** The fitted hyperparameters {@code (log lengths, log signal, log noise)}. */
  public double[] theta() {
    return theta.clone();
  }

  /** The log marginal likelihood at the fitted hyperparameters. */
  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  /** The number of training points. */
  public int size() {
    return x.length;
  }

  double kernel(double[] a, double[] b) {
    double r2 = 0;
    for (int j = 0; j < a.length; j++) {
      double diff = a[j] - b[j];
      r2 += diff * diff * inverseSquaredLengths[j];
    }
    return matern(r2, signal);
  }

  static double matern(double r2, double signal) {
    double r = Math.sqrt(r2);
    return signal * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
  }

  static DMatrixRMaj choleskyWithJitter(DMatrixRMaj k, double scale) {
    int n = k.numRows;
    double jitter = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
      DMatrixRMaj a = k.copy();
      if (jitter > 0) {
        for (int i = 0; i < n; i++) {
          a.unsafe_set(i, i, a.unsafe_get(i, i) + jitter);
        }
      }
      if (choleskyInPlace(a)) {
        return a;
      }
      jitter = jitter == 0 ? 1e-9 * Math.max(scale, 1e-12) : jitter * 10;
    }
    throw new NumericalFailureException("kernel matrix is not positive definite even with jitter");
  }

  /**
   * Overwrites the symmetric matrix {@code a} (row-major) with its lower Cholesky factor (zeros
   * above the diagonal) through EJML; false when a pivot is not positive and finite.
   */
  static boolean choleskyInPlace(DMatrixRMaj a) {
    CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
    if (!chol.decompose(a)) {
      return false;
    }
    int n = a.numRows;
    double[] data = a.data;
    for (int i = 0; i < n; i++) {
      double pivot = data[i * n + i];
      if (!(pivot > 0) || !Double.isFinite(pivot)) {
        return false;
      }
      java.util.Arrays.fill(data, i * n + i + 1, i * n + n, 0);
    }
    return true;
  }

  /**
   * Posterior mean and variance (of the latent function, without noise) at each point.
   *
   * @param points the inputs
   * @param mean receives the means
   * @param variance receives the variances, at least 1e-12 times the signal variance
   */
  public void predict(double[][] points, double[] mean, double[] variance) {
    int n = x.length;
    double[] l = lower.data;
    // A block of points at a time, laid out [training point][block point]: v = L^-1 k by
    // forward substitution row by row of L, each step an axpy over the block (vectorisable).
    int block = Math.min(PREDICT_BLOCK, points.length);
    double[][] v = new double[n][block];
    double[] sums = new double[block];
    for (int start = 0; start < points.length; start += block) {
      int count = Math.min(block, points.length - start);
      for (int q = 0; q < count; q++) {
        double[] point = points[start + q];
        double m = 0;
        for (int i = 0; i < n; i++) {
          double kv = kernel(point, x[i]);
          v[i][q] = kv;
          m += kv * alpha[i];
        }
        mean[start + q] = m;
      }
      java.util.Arrays.fill(sums, 0);
      for (int i = 0; i < n; i++) {
        double[] vi = v[i];
        int row = i * n;
        for (int k = 0; k < i; k++) {
          double lik = l[row + k];
          double[] vk = v[k];
          for (int q = 0; q < count; q++) {
            vi[q] -= lik * vk[q];
          }
        }
        double inverseDiagonal = 1 / l[row + i];
        for (int q = 0; q < count; q++) {
          double value = vi[q] * inverseDiagonal;
          vi[q] = value;
          sums[q] += value * value;
        }
      }
      for (int q = 0; q < count; q++) {
        variance[start + q] = Math.max(signal - sums[q], 1e-12 * signal);
      }
    }
  }

  /**
   * Posterior mean and variance at one point with their gradients with respect to the point's
   * features (for gradient-based acquisition search).
   *
   * @param point the input
   * @param meanGradient receives d mean / d point
   * @param varianceGradient receives d variance / d point (zero where the variance is floored)
   * @return {@code {mean, variance}}
   */
  double[] predictWithGradient(double[] point, double[] meanGradient, double[] varianceGradient) {
    int n = x.length;
    int d = point.length;
    double[] k = new double[n];
    double[][] dk = new double[n][d];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double[] xi = x[i];
      double r2 = 0;
      for (int c = 0; c < d; c++) {
        double diff = point[c] - xi[c];
        r2 += diff * diff * inverseSquaredLengths[c];
      }
      double r = Math.sqrt(r2);
      double e = Math.exp(-SQRT5 * r);
      k[i] = signal * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * e;
      // d k / d r^2 = -(5/6) signal (1 + sqrt5 r) e^{-sqrt5 r}; d r^2 / d x_c = 2 diff_c / l_c^2.
      double factor = -5.0 / 3.0 * signal * (1 + SQRT5 * r) * e;
      for (int c = 0; c < d; c++) {
        dk[i][c] = factor * (point[c] - xi[c]) * inverseSquaredLengths[c];
      }
      mean += k[i] * alpha[i];
    }
    java.util.Arrays.fill(meanGradient, 0);
    java.util.Arrays.fill(varianceGradient, 0);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        meanGradient[c] += alpha[i] * dk[i][c];
      }
    }
    double[] v = k.clone();
    solveLower(lower.data, v, n);
    double sum = 0;
    for (double vi : v) {
      sum += vi * vi;
    }
    double variance = signal - sum;
    if (variance <= 1e-12 * signal) {
      return new double[] {mean, 1e-12 * signal};
    }
    // d variance / d x = -2 (K^-1 k)^T dk/dx.
    solveTransposedLowerByRows(lower.data, v, n);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        varianceGradient[c] -= 2 * v[i] * dk[i][c];
      }
    }
    return new double[] {mean, variance};
  }

  /**
   * Solves {@code L x = b} in place by forward substitution, each row's dot product with four
   * accumulators (one chain of dependent additions is several times slower at these sizes).
   */
  static void solveLower(double[] l, double[] b, int n) {
    for (int i = 0; i < n; i++) {
      int row = i * n;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int k = 0;
      for (; k + 3 < i; k += 4) {
        s0 += l[row + k] * b[k];
        s1 += l[row + k + 1] * b[k + 1];
        s2 += l[row + k + 2] * b[k + 2];
        s3 += l[row + k + 3] * b[k + 3];
      }
      for (; k < i; k++) {
        s0 += l[row + k] * b[k];
      }
      b[i] = (b[i] - ((s0 + s1) + (s2 + s3))) / l[row + i];
    }
  }

  /**
   * Solves {@code L^T x = b} in place, reading L (row-major, lower triangular) row by row: once
   * {@code x_i} is known, row i of L updates the earlier right-hand sides. Same arithmetic as a
   * column-wise back substitution without its strided reads.
   */
  static void solveTransposedLowerByRows(double[] l, double[] b, int n) {
    for (int i = n - 1; i >= 0; i--) {
      int row = i * n;
      double xi = b[i] / l[row + i];
      b[i] = xi;
      for (int k = 0; k < i; k++) {
        b[k] -= l[row + k] * xi;
      }
    }
  }

  /**
   * {@code K^-1 = L^-T L^-1} from the Cholesky factor {@code L} through EJML: the triangular
   * inverse in place, then the transposed product (callers read its lower triangle).
   */
  static DMatrixRMaj inverseLowerPart(DMatrixRMaj lower) {
    int n = lower.numRows;
    DMatrixRMaj inverse = lower.copy();
    TriangularSolver_DDRM.invertLower(inverse.data, n);
    DMatrixRMaj out = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multInner(inverse, out);
    return out;
  }

  /** The fitted length scale of each input. */
  double[] lengthScales() {
    double[] out = new double[inverseSquaredLengths.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = Math.exp(theta[c]);
    }
    return out;
  }

  /**
   * This model with extra inputs whose targets are set to its own posterior means (the kriging
   * believer for pending evaluations), keeping the hyperparameters.
   */
  public GaussianProcess withBelievedPoints(double[][] pending) {
    if (pending.length == 0) {
      return this;
    }
    double[] mean = new double[pending.length];
    double[] variance = new double[pending.length];
    predict(pending, mean, variance);
    double[][] xs = new double[x.length + pending.length][];
    double[] ys = new double[xs.length];
    for (int i = 0; i < x.length; i++) {
      xs[i] = x[i];
      ys[i] = y[i];
    }
    for (int i = 0; i < pending.length; i++) {
      xs[x.length + i] = pending[i];
      ys[x.length + i] = mean[i];
    }
    return new GaussianProcess(xs, ys, theta);
  }

  /** The fitting objective, exposed to this package's tests for gradient checks. */
  static Lbfgs.Objective likelihoodForTests(double[][] x, double[] y) {
    return new Likelihood(x, y);
  }

  /** Negative penalised log marginal likelihood over the unbounded parametrisation. */
  private static final class Likelihood implements Lbfgs.Objective {
    private final double[][] x;
    private final double[] y;
    private final int n;
    private final int d;
    private final double[][] squaredDiffs;

    Likelihood(double[][] x, double[] y) {
      this.x = x;
      this.y = y;
      this.n = x.length;
      this.d = x[0].length;
      int pairs = n * (n - 1) / 2;
      squaredDiffs = new double[d][pairs];
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          for (int c = 0; c < d; c++) {
            double diff = x[i][c] - x[j][c];
            squaredDiffs[c][p] = diff * diff;
          }
          p++;
        }
      }
    }

    @Override
    public double evaluate(double[] phi, double[] gradient) {
      double[] theta = new double[d + 2];
      double[] dTheta = new double[d + 2];
      for (int j = 0; j < d + 2; j++) {
        theta[j] = toBounded(phi[j], j, d);
        double s = 1 / (1 + Math.exp(-phi[j]));
        dTheta[j] = (highBound(j, d) - lowBound(j, d)) * s * (1 - s);
      }
      double[] inv = new double[d];
      for (int c = 0; c < d; c++) {
        inv[c] = Math.exp(-2 * theta[c]);
      }
      double signal = Math.exp(theta[d]);
      double noise = Math.exp(theta[d + 1]);
      int pairs = n * (n - 1) / 2;
      double[] r2 = new double[pairs];
      for (int c = 0; c < d; c++) {
        double[] sq = squaredDiffs[c];
        double w = inv[c];
        for (int p = 0; p < pairs; p++) {
          r2[p] += sq[p] * w;
        }
      }
      DMatrixRMaj k = new DMatrixRMaj(n, n);
      double[] dkdr2Factor = new double[pairs];
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          double r = Math.sqrt(r2[p]);
          double e = Math.exp(-SQRT5 * r);
          double v = signal * (1 + SQRT5 * r + 5.0 / 3.0 * r2[p]) * e;
          k.unsafe_set(i, j, v);
          k.unsafe_set(j, i, v);
          // d k / d log l_c = signal * 5/3 (1 + sqrt5 r) e^{-sqrt5 r} * diff_c^2 / l_c^2
          dkdr2Factor[p] = signal * 5.0 / 3.0 * (1 + SQRT5 * r) * e;
          p++;
        }
        k.unsafe_set(i, i, signal + noise);
      }
      DMatrixRMaj l;
      try {
        l = choleskyWithJitter(k, signal);
      } catch (IllegalStateException e) {
        return Double.NaN;
      }
      DMatrixRMaj kinv = inverseLowerPart(l);
      double[] a = y.clone();
      double mll = solveForAlpha(l, a, n);
      // W = alpha alpha^T - K^-1 ; dMLL/dtheta = 0.5 tr(W dK/dtheta)
      double[] g = new double[d + 2];
      double traceWK = 0;
      double traceW = 0;
      p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          double w = a[i] * a[j] - kinv.unsafe_get(i, j);
          traceWK += 2 * w * k.unsafe_get(i, j);
          double f = 2 * w * dkdr2Factor[p];
          for (int c = 0; c < d; c++) {
            g[c] += f * squaredDiffs[c][p];
          }
          p++;
        }
        double wii = a[i] * a[i] - kinv.unsafe_get(i, i);
        traceW += wii;
        traceWK += wii * signal;
      }
      for (int c = 0; c < d; c++) {
        g[c] *= 0.5 * inv[c];
      }
      g[d] = 0.5 * traceWK;
      g[d + 1] = 0.5 * traceW * noise;
      // Priors: -0.1 (l^2 + 1/l^2) per length scale (mode at 1; very short length scales make
      // every unexplored point look promising, very long ones declare an input irrelevant after
      // a few flat observations); log signal ~ N(0, 1.5^2); noise ~ Gamma(1.1, 30) up to a
      // constant.
      double logPrior = 0;
      for (int c = 0; c < d; c++) {
        double l2 = Math.exp(2 * theta[c]);
        logPrior -= LENGTH_PRIOR * (l2 + 1 / l2);
        g[c] -= 2 * LENGTH_PRIOR * (l2 - 1 / l2);
      }
      logPrior -= 0.5 * (theta[d] / 1.5) * (theta[d] / 1.5);
      g[d] -= theta[d] / (1.5 * 1.5);
      logPrior += 0.1 * theta[d + 1] - 30 * noise;
      g[d + 1] += 0.1 - 30 * noise;
      for (int j = 0; j < d + 2; j++) {
        gradient[j] = -g[j] * dTheta[j];
      }
      return -(mll + logPrior);
    }
  }
}
