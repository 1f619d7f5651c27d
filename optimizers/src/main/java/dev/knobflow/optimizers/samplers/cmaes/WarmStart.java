package dev.knobflow.optimizers.samplers.cmaes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The initial distribution of WS-CMA-ES (Nomura, Watanabe, Akimoto, Ozaki and Onishi, AAAI 2021)
 * from earlier observations: the best {@code gamma} fraction of them (at least one) gives the mean,
 * and their scatter plus {@code alpha^2 I} gives the covariance, split into a step size {@code
 * sigma = det(Sigma)^(1/2n)} and a unit-determinant C.
 */
final class WarmStart {

  static final double GAMMA = 0.1;
  static final double ALPHA = 0.1;

  /** The estimated distribution. */
  record Estimate(double[] mean, double sigma, double[][] cov) {}

  /** A point in the unit cube and its minimised value. */
  record Point(double[] x, double value) {}

  private WarmStart() {}

  /** The estimate from {@code points}, which must not be empty. */
  static Estimate estimate(List<Point> points) {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(Point::value));
    int k = Math.max(1, (int) Math.floor(GAMMA * sorted.size()));
    int n = sorted.get(0).x().length;
    double[] mean = new double[n];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < n; i++) {
        mean[i] += sorted.get(j).x()[i] / k;
      }
    }
    DMatrixRMaj sigmaMatrix = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < n; l++) {
        double s = i == l ? ALPHA * ALPHA : 0;
        for (int j = 0; j < k; j++) {
          double[] x = sorted.get(j).x();
          s += (x[i] - mean[i]) * (x[l] - mean[l]) / k;
        }
        sigmaMatrix.set(i, l, s);
      }
    }
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
    if (!chol.decompose(sigmaMatrix.copy())) {
      throw new ArithmeticException("WS-CMA-ES: the warm-start covariance is not positive");
    }
    DMatrixRMaj t = chol.getT(null);
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      logDet += 2 * Math.log(t.get(i, i));
    }
    double sigma = Math.exp(logDet / (2.0 * n));
    double[][] cov = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < n; l++) {
        cov[i][l] = sigmaMatrix.get(i, l) / (sigma * sigma);
      }
    }
    return new Estimate(mean, sigma, cov);
  }
}
