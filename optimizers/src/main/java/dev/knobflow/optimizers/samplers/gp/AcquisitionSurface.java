package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.samplers.parzen.NormalMath;
import java.util.Arrays;
import java.util.List;

/**
 * An acquisition function over the GP inputs: the posterior of each model (objectives, then
 * constraints) at a point, combined by an {@link Output} function. Larger is better. Scores batches
 * of points for the candidate search and gives the gradient at one point for the local search.
 */
final class AcquisitionSurface {

  /** The acquisition as a function of every model's posterior mean and standard deviation. */
  interface Output {
    double value(double[] mean, double[] sd);

    /**
     * The value and its partial derivatives; by default central differences of {@link #value}
     * (cheap next to the GP predictions they are chained with).
     */
    default double valueWithGradient(double[] mean, double[] sd, double[] dMean, double[] dSd) {
      double v = value(mean, sd);
      for (int j = 0; j < mean.length; j++) {
        double h = 1e-5 * sd[j];
        double m0 = mean[j];
        mean[j] = m0 + h;
        double up = value(mean, sd);
        mean[j] = m0 - h;
        double down = value(mean, sd);
        mean[j] = m0;
        dMean[j] = (up - down) / (2 * h);
        double s0 = sd[j];
        sd[j] = s0 + h;
        up = value(mean, sd);
        sd[j] = s0 - h;
        down = value(mean, sd);
        sd[j] = s0;
        dSd[j] = (up - down) / (2 * h);
        if (!Double.isFinite(dMean[j]) || !Double.isFinite(dSd[j])) {
          dMean[j] = 0;
          dSd[j] = 0;
        }
      }
      return v;
    }
  }

  /** A model whose output is constant (an objective with all-equal values). */
  private static final double CONSTANT_SD = 1e-6;

  private final GaussianProcess[] models;
  private final Output output;

  /**
   * @param models one per output ({@code null}: a constant output, mean 0)
   * @param output the acquisition of the models' posteriors
   */
  AcquisitionSurface(List<GaussianProcess> models, Output output) {
    this.models = models.toArray(new GaussianProcess[0]);
    this.output = output;
  }

  /** The acquisition at each point (NaN becomes -Infinity). */
  double[] score(double[][] points) {
    int p = points.length;
    int m = models.length;
    double[][] mean = new double[m][p];
    double[][] var = new double[m][p];
    for (int j = 0; j < m; j++) {
      if (models[j] != null) {
        models[j].predict(points, mean[j], var[j]);
      } else {
        Arrays.fill(var[j], CONSTANT_SD * CONSTANT_SD);
      }
    }
    double[] out = new double[p];
    double[] mu = new double[m];
    double[] sd = new double[m];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < m; j++) {
        mu[j] = mean[j][i];
        sd[j] = Math.sqrt(var[j][i]);
      }
      double v = output.value(mu, sd);
      out[i] = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }
    return out;
  }

  /** The acquisition at one point; its gradient with respect to the features into {@code grad}. */
  double valueWithGradient(double[] point, double[] grad) {
    int m = models.length;
    int d = point.length;
    double[] mu = new double[m];
    double[] sd = new double[m];
    double[][] dMean = new double[m][d];
    double[][] dVar = new double[m][d];
    for (int j = 0; j < m; j++) {
      if (models[j] != null) {
        double[] mv = models[j].predictWithGradient(point, dMean[j], dVar[j]);
        mu[j] = mv[0];
        sd[j] = Math.sqrt(mv[1]);
      } else {
        sd[j] = CONSTANT_SD;
      }
    }
    double[] dOutMean = new double[m];
    double[] dOutSd = new double[m];
    double v = output.valueWithGradient(mu, sd, dOutMean, dOutSd);
    Arrays.fill(grad, 0);
    for (int j = 0; j < m; j++) {
      double perVar = dOutSd[j] / (2 * sd[j]);
      for (int c = 0; c < d; c++) {
        grad[c] += dOutMean[j] * dMean[j][c] + perVar * dVar[j][c];
      }
    }
    return v;
  }

  /** The geometric mean over the models of each input's length scale (1 without models). */
  double[] typicalLengthScales(int d) {
    double[] logSum = new double[d];
    int count = 0;
    for (GaussianProcess model : models) {
      if (model != null) {
        double[] l = model.lengthScales();
        for (int c = 0; c < d; c++) {
          logSum[c] += Math.log(l[c]);
        }
        count++;
      }
    }
    double[] out = new double[d];
    for (int c = 0; c < d; c++) {
      out[c] = count == 0 ? 1.0 : Math.exp(logSum[c] / count);
    }
    return out;
  }

  /**
   * Single-objective log EI, log PI or UCB with analytic derivatives; output 0 is the objective.
   */
  static Output singleObjective(GpAcquisition acquisition, double best, double kappa) {
    return new Output() {
      @Override
      public double value(double[] mean, double[] sd) {
        return valueWithGradient(mean, sd, new double[mean.length], new double[mean.length]);
      }

      @Override
      public double valueWithGradient(double[] mean, double[] sd, double[] dMean, double[] dSd) {
        Arrays.fill(dMean, 0);
        Arrays.fill(dSd, 0);
        double mu = mean[0];
        double s = sd[0];
        if (acquisition == GpAcquisition.UCB) {
          dMean[0] = -1;
          dSd[0] = kappa;
          return Acquisitions.upperConfidenceBound(mu, s, kappa);
        }
        if (best == Double.POSITIVE_INFINITY) {
          return 0; // nothing feasible yet: feasibility alone decides
        }
        double z = (best - mu) / s;
        double value;
        double dz;
        if (acquisition == GpAcquisition.PI) {
          value = FastNormal.logCdf(z);
          dz = Math.exp(NormalMath.logPdf(z) - value);
          dSd[0] = -dz * z / s;
        } else {
          double logH = Acquisitions.logH(z);
          value = Math.log(s) + logH;
          // d log h / dz = Phi(z) / h(z)
          dz = Math.exp(FastNormal.logCdf(z) - logH);
          dSd[0] = 1 / s - dz * z / s;
        }
        dMean[0] = -dz / s;
        if (!Double.isFinite(dMean[0]) || !Double.isFinite(dSd[0])) {
          dMean[0] = 0;
          dSd[0] = 0;
        }
        return value;
      }
    };
  }

  /**
   * {@code base} (over the first outputs) plus the log probability that each constraint output
   * {@code first + c} is at most {@code thresholds[c]}.
   */
  static Output withFeasibility(Output base, int first, double[] thresholds) {
    return new Output() {
      @Override
      public double value(double[] mean, double[] sd) {
        double v = base.value(mean, sd);
        for (int c = 0; c < thresholds.length; c++) {
          v += Acquisitions.logProbabilityBelow(mean[first + c], sd[first + c], thresholds[c]);
        }
        return v;
      }

      @Override
      public double valueWithGradient(double[] mean, double[] sd, double[] dMean, double[] dSd) {
        double v = base.valueWithGradient(mean, sd, dMean, dSd);
        for (int c = 0; c < thresholds.length; c++) {
          int j = first + c;
          double z = (thresholds[c] - mean[j]) / sd[j];
          double logCdf = FastNormal.logCdf(z);
          v += logCdf;
          double dz = Math.exp(NormalMath.logPdf(z) - logCdf);
          dMean[j] = Double.isFinite(dz) ? -dz / sd[j] : 0;
          dSd[j] = Double.isFinite(dz) ? -dz * z / sd[j] : 0;
        }
        return v;
      }
    };
  }
}
