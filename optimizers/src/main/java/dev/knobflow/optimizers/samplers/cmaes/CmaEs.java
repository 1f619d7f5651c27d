package dev.knobflow.optimizers.samplers.cmaes;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * One CMA-ES search distribution N(m, sigma^2 C) over the unit cube, with its evolution paths,
 * updated generation by generation (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016, with
 * negative recombination weights for the covariance, i.e. active CMA), plus the margin of Hamano et
 * al. (CMA-ES with Margin, GECCO 2022) on discrete axes (see {@link Margin}).
 *
 * <p>Instances are only mutated by {@link #tell}, which the sampler calls on a {@link #copy} so
 * that the states it memoises stay as they were computed. The eigen-decomposition of C (EJML) is
 * computed once per generation.
 */
final class CmaEs {

  private static final double EPS = 1e-8;
  private static final double SIGMA_MAX = 1e32;
  private static final int MAX_RESAMPLING = 100;

  /** A sampled point: {@code raw} is what the update learns from, {@code encoded} is evaluated. */
  record Sample(double[] raw, double[] encoded) {}

  /** An evaluated point of the current generation: its raw vector and its minimised value. */
  record Solution(double[] x, double value) {}

  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double muEff;
  private final double c1;
  private final double cmu;
  private final double cSigma;
  private final double dSigma;
  private final double cc;
  private final double chiN;
  private final int funHistoryLength;
  private final double tolX;
  private final Margin margin;

  private double[] mean;
  private double sigma;
  private double[][] c;
  private double[] pSigma;
  private double[] pc;
  private int generation;
  private double[] funHistory;
  private int funHistorySize;
  // B (columns are eigenvectors) and D (square roots of the eigenvalues) of C.
  private double[][] b;
  private double[] d;

  CmaEs(double[] mean, double sigma, double[][] cov, int lambda, Margin margin) {
    this.n = mean.length;
    this.lambda = lambda;
    this.mu = lambda / 2;
    double[] w = new double[lambda];
    for (int i = 0; i < lambda; i++) {
      w[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
    }
    double posSum = 0;
    double posSq = 0;
    double negSum = 0;
    double negSq = 0;
    for (int i = 0; i < lambda; i++) {
      if (i < mu) {
        posSum += w[i];
        posSq += w[i] * w[i];
      } else {
        negSum += w[i];
        negSq += w[i] * w[i];
      }
    }
    this.muEff = posSum * posSum / posSq;
    double muEffMinus = negSq == 0 ? 0 : negSum * negSum / negSq;
    this.c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
    this.cmu = Math.min(1 - c1 - 1e-8, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
    double alphaMin =
        Math.min(
            Math.min(1 + c1 / cmu, 1 + 2 * muEffMinus / (muEff + 2)), (1 - c1 - cmu) / (n * cmu));
    double positive = 0;
    double negative = 0;
    for (double v : w) {
      if (v > 0) {
        positive += v;
      } else {
        negative -= v;
      }
    }
    for (int i = 0; i < lambda; i++) {
      w[i] = w[i] >= 0 ? w[i] / positive : w[i] * alphaMin / negative;
    }
    this.weights = w;
    this.cSigma = (muEff + 2) / (n + muEff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
    this.cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    this.chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    this.funHistoryLength = 10 + (int) Math.ceil(30.0 * n / lambda);
    this.tolX = 1e-12 * sigma;
    this.margin = margin;
    this.mean = mean.clone();
    this.sigma = sigma;
    this.c = cov == null ? identity(n) : deepCopy(cov);
    this.pSigma = new double[n];
    this.pc = new double[n];
    this.funHistory = new double[2 * funHistoryLength];
    decompose();
    margin.initialise(this.mean);
  }

  private CmaEs(CmaEs o) {
    this.n = o.n;
    this.lambda = o.lambda;
    this.mu = o.mu;
    this.weights = o.weights;
    this.muEff = o.muEff;
    this.c1 = o.c1;
    this.cmu = o.cmu;
    this.cSigma = o.cSigma;
    this.dSigma = o.dSigma;
    this.cc = o.cc;
    this.chiN = o.chiN;
    this.funHistoryLength = o.funHistoryLength;
    this.tolX = o.tolX;
    this.margin = o.margin.copy();
    this.mean = o.mean.clone();
    this.sigma = o.sigma;
    this.c = deepCopy(o.c);
    this.pSigma = o.pSigma.clone();
    this.pc = o.pc.clone();
    this.generation = o.generation;
    this.funHistory = o.funHistory.clone();
    this.funHistorySize = o.funHistorySize;
    this.b = deepCopy(o.b);
    this.d = o.d.clone();
  }

  /** An independent copy whose {@link #tell} leaves this one unchanged. */
  CmaEs copy() {
    return new CmaEs(this);
  }

  int dimension() {
    return n;
  }

  int populationSize() {
    return lambda;
  }

  int generation() {
    return generation;
  }

  double[] mean() {
    return mean.clone();
  }

  double sigma() {
    return sigma;
  }

  /** A copy of the covariance matrix C. */
  double[][] covariance() {
    return deepCopy(c);
  }

  /** The point {@code raw} is evaluated at under this distribution's margin. */
  double[] encode(double[] raw) {
    return margin.encode(raw, mean);
  }

  /**
   * A point from N(m, sigma^2 C): resampled up to 100 times until its continuous coordinates lie in
   * [0, 1], then clipped; discrete coordinates are encoded through the margin.
   */
  Sample ask(RandomGenerator random) {
    return ask(null, random);
  }

  /**
   * As {@link #ask(RandomGenerator)}, but the first attempt maps the standard normal vector {@code
   * first} (one member of an orthogonal or mirrored set) instead of a fresh draw; resampling, when
   * it is out of bounds, draws from {@code random}.
   */
  Sample ask(double[] first, RandomGenerator random) {
    double[] x = null;
    for (int attempt = 0; attempt <= MAX_RESAMPLING; attempt++) {
      x = attempt == 0 && first != null ? map(first) : map(gaussian(random, n));
      if (margin.continuousInBounds(x)) {
        break;
      }
    }
    margin.clipContinuous(x);
    return new Sample(x, margin.encode(x, mean));
  }

  static double[] gaussian(RandomGenerator random, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = random.nextGaussian();
    }
    return g;
  }

  /** m + sigma B D g for a standard normal vector g. */
  private double[] map(double[] g) {
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = d[i] * g[i];
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double y = 0;
      for (int j = 0; j < n; j++) {
        y += b[i][j] * z[j];
      }
      x[i] = mean[i] + sigma * y;
    }
    return x;
  }

  /**
   * Updates the distribution from exactly one population of evaluated points (smaller is better),
   * then applies the margin correction.
   */
  void tell(List<Solution> population) {
    if (population.size() != lambda) {
      throw new IllegalArgumentException(
          "a generation needs " + lambda + " solutions, got " + population.size());
    }
    Solution[] sorted = population.toArray(new Solution[0]);
    Arrays.sort(sorted, (a, b2) -> Double.compare(a.value(), b2.value()));
    generation++;
    int slot = 2 * (generation % funHistoryLength);
    funHistory[slot] = sorted[0].value();
    funHistory[slot + 1] = sorted[lambda - 1].value();
    funHistorySize = Math.min(funHistoryLength, funHistorySize + 1);

    double[][] y = new double[lambda][n];
    for (int k = 0; k < lambda; k++) {
      for (int i = 0; i < n; i++) {
        y[k][i] = (sorted[k].x()[i] - mean[i]) / sigma;
      }
    }
    double[] yw = new double[n];
    for (int k = 0; k < mu; k++) {
      for (int i = 0; i < n; i++) {
        yw[i] += weights[k] * y[k][i];
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] += sigma * yw[i];
    }
    double[] cInvSqrtYw = invSqrtC(yw);
    double ps = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    for (int i = 0; i < n; i++) {
      pSigma[i] = (1 - cSigma) * pSigma[i] + ps * cInvSqrtYw[i];
    }
    double normPs = norm(pSigma);
    sigma = Math.min(SIGMA_MAX, sigma * Math.exp((cSigma / dSigma) * (normPs / chiN - 1)));

    double hSigmaLeft = normPs / Math.sqrt(1 - Math.pow(1 - cSigma, 2.0 * (generation + 1)));
    boolean hSigma = hSigmaLeft < (1.4 + 2.0 / (n + 1)) * chiN;
    double pcCoefficient = hSigma ? Math.sqrt(cc * (2 - cc) * muEff) : 0;
    for (int i = 0; i < n; i++) {
      pc[i] = (1 - cc) * pc[i] + pcCoefficient * yw[i];
    }
    // Negative weights are rescaled by the Mahalanobis length of their step (active CMA).
    double[] wo = new double[lambda];
    double weightSum = 0;
    for (int k = 0; k < lambda; k++) {
      weightSum += weights[k];
      if (weights[k] >= 0) {
        wo[k] = weights[k];
      } else {
        double len = norm(invSqrtC(y[k]));
        wo[k] = weights[k] * n / (len * len + EPS);
      }
    }
    double delta = (hSigma ? 0 : 1) * cc * (2 - cc);
    double keep = 1 + c1 * delta - c1 - cmu * weightSum;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double rankMu = 0;
        for (int k = 0; k < lambda; k++) {
          rankMu += wo[k] * y[k][i] * y[k][j];
        }
        double v = keep * c[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu;
        c[i][j] = v;
        c[j][i] = v;
      }
    }
    decompose();
    margin.correct(mean, sigma, c);
  }

  /**
   * Hansen's termination criteria, as the restart strategy uses them: flat best and worst values
   * over the recent generations, a negligible step in every coordinate, a diverging step, a step
   * that no longer changes the mean along a coordinate or a principal axis, or an ill-conditioned
   * C.
   */
  boolean shouldStop() {
    if (generation > funHistoryLength && funHistorySize == funHistoryLength) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : funHistory) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (max - min < 1e-12) {
        return true;
      }
    }
    boolean tiny = true;
    for (int i = 0; i < n; i++) {
      if (!(sigma * c[i][i] < tolX && sigma * Math.abs(pc[i]) < tolX)) {
        tiny = false;
        break;
      }
    }
    if (tiny) {
      return true;
    }
    double maxD = Arrays.stream(d).max().orElse(0);
    double minD = Arrays.stream(d).min().orElse(0);
    if (sigma * maxD > 1e4) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      if (mean[i] == mean[i] + 0.2 * sigma * Math.sqrt(c[i][i])) {
        return true;
      }
    }
    int axis = generation % n;
    boolean noEffect = true;
    for (int i = 0; i < n; i++) {
      if (mean[i] != mean[i] + 0.1 * sigma * d[axis] * b[i][axis]) {
        noEffect = false;
        break;
      }
    }
    return noEffect || maxD / minD > 1e7; // condition number of C (D is its square root) > 1e14
  }

  /** Symmetrises C, eigen-decomposes it with EJML and rebuilds it from clamped eigenvalues. */
  private void decompose() {
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m.set(i, j, (c[i][j] + c[j][i]) / 2);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) {
      throw new ArithmeticException("CMA-ES: the eigen-decomposition of C failed");
    }
    double[][] vectors = new double[n][n];
    double[] roots = new double[n];
    for (int k = 0; k < n; k++) {
      double value = eig.getEigenvalue(k).getReal();
      roots[k] = Math.sqrt(value < 0 ? EPS : value);
      DMatrixRMaj v = eig.getEigenVector(k);
      for (int i = 0; i < n; i++) {
        vectors[i][k] = v.get(i, 0);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = 0;
        for (int k = 0; k < n; k++) {
          v += vectors[i][k] * roots[k] * roots[k] * vectors[j][k];
        }
        c[i][j] = v;
        c[j][i] = v;
      }
    }
    b = vectors;
    d = roots;
  }

  /** C^(-1/2) v = B D^(-1) B^T v. */
  private double[] invSqrtC(double[] v) {
    double[] t = new double[n];
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += b[i][k] * v[i];
      }
      t[k] = s / d[k];
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += b[i][k] * t[k];
      }
      out[i] = s;
    }
    return out;
  }

  /** The Euclidean length of {@code v}. */
  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
