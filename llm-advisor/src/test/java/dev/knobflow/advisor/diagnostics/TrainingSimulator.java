package dev.knobflow.advisor.diagnostics;

import java.util.Random;

/**
 * Produces realistically shaped learning curves by actually training a tiny multilayer perceptron
 * (2 inputs, {@code hidden} tanh units, 1 sigmoid output, binary cross-entropy) with minibatch Adam
 * on a seeded two-moons-like dataset, in plain Java. One point per epoch: the mean training loss
 * over that epoch's minibatches, as a training loop would report it.
 *
 * <p>Used by tests and the benchmark in place of recorded logs: we ship no recorded training runs,
 * so these curves are simulated, and labelled by their learning rate's known regime.
 */
public final class TrainingSimulator {

  private final int samples;
  private final int hidden;
  private final int batch;
  private final long seed;

  /**
   * @param samples dataset size
   * @param hidden hidden units
   * @param batch minibatch size
   * @param seed seed for data, initialisation and shuffling
   */
  public TrainingSimulator(int samples, int hidden, int batch, long seed) {
    this.samples = samples;
    this.hidden = hidden;
    this.batch = batch;
    this.seed = seed;
  }

  /** The default simulator used in tests: 256 samples, 16 hidden units, batch 32. */
  public static TrainingSimulator standard(long seed) {
    return new TrainingSimulator(256, 16, 32, seed);
  }

  /**
   * Trains with Adam at the given learning rate.
   *
   * @param learningRate Adam's step size
   * @param epochs number of epochs (points in the curve)
   * @return the mean training loss per epoch; may contain huge values when training blows up
   */
  public double[] train(double learningRate, int epochs) {
    Random rnd = new Random(seed);
    double[][] x = new double[samples][2];
    double[] y = new double[samples];
    for (int i = 0; i < samples; i++) {
      boolean upper = i % 2 == 0;
      double angle = Math.PI * rnd.nextDouble();
      double px = upper ? Math.cos(angle) : 1 - Math.cos(angle);
      double py = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
      x[i][0] = px + 0.2 * rnd.nextGaussian();
      x[i][1] = py + 0.2 * rnd.nextGaussian();
      y[i] = upper ? 1 : 0;
    }
    int p = hidden * 2 + hidden + hidden + 1;
    double[] w = new double[p];
    for (int i = 0; i < hidden * 2; i++) {
      w[i] = rnd.nextGaussian() / Math.sqrt(2);
    }
    for (int i = hidden * 3; i < hidden * 4; i++) {
      w[i] = rnd.nextGaussian() / Math.sqrt(hidden);
    }
    double[] m = new double[p];
    double[] v = new double[p];
    double[] g = new double[p];
    double[] h = new double[hidden];
    int[] order = new int[samples];
    for (int i = 0; i < samples; i++) {
      order[i] = i;
    }
    double[] curve = new double[epochs];
    long t = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, rnd);
      double epochLoss = 0;
      int batches = 0;
      for (int start = 0; start < samples; start += batch) {
        java.util.Arrays.fill(g, 0);
        int end = Math.min(samples, start + batch);
        double batchLoss = 0;
        for (int k = start; k < end; k++) {
          int i = order[k];
          double z = w[p - 1];
          for (int j = 0; j < hidden; j++) {
            h[j] = Math.tanh(w[2 * j] * x[i][0] + w[2 * j + 1] * x[i][1] + w[hidden * 2 + j]);
            z += w[hidden * 3 + j] * h[j];
          }
          // numerically stable binary cross-entropy on the logit
          batchLoss += Math.max(z, 0) - z * y[i] + Math.log1p(Math.exp(-Math.abs(z)));
          double dz = 1 / (1 + Math.exp(-z)) - y[i];
          g[p - 1] += dz;
          for (int j = 0; j < hidden; j++) {
            g[hidden * 3 + j] += dz * h[j];
            double dh = dz * w[hidden * 3 + j] * (1 - h[j] * h[j]);
            g[2 * j] += dh * x[i][0];
            g[2 * j + 1] += dh * x[i][1];
            g[hidden * 2 + j] += dh;
          }
        }
        int size = end - start;
        t++;
        for (int q = 0; q < p; q++) {
          double grad = g[q] / size;
          m[q] = 0.9 * m[q] + 0.1 * grad;
          v[q] = 0.999 * v[q] + 0.001 * grad * grad;
          double mHat = m[q] / (1 - Math.pow(0.9, t));
          double vHat = v[q] / (1 - Math.pow(0.999, t));
          w[q] -= learningRate * mHat / (Math.sqrt(vHat) + 1e-8);
        }
        epochLoss += batchLoss / size;
        batches++;
      }
      curve[epoch] = epochLoss / batches;
    }
    return curve;
  }

  /**
   * Trains the same network as a regressor (linear output, squared error) with plain minibatch SGD
   * on {@code y = sin(2 x0) + x1 / 2 + noise}: the classic setting where a too large step makes the
   * loss blow up to infinity.
   *
   * @param learningRate SGD step size
   * @param epochs number of epochs (points in the curve)
   * @return mean training loss per epoch; infinite or NaN once training has blown up
   */
  public double[] trainRegressionSgd(double learningRate, int epochs) {
    Random rnd = new Random(seed);
    double[][] x = new double[samples][2];
    double[] y = new double[samples];
    for (int i = 0; i < samples; i++) {
      x[i][0] = 2 * rnd.nextDouble() - 1;
      x[i][1] = 2 * rnd.nextDouble() - 1;
      y[i] = Math.sin(2 * x[i][0]) + 0.5 * x[i][1] + 0.1 * rnd.nextGaussian();
    }
    int p = hidden * 4 + 1;
    double[] w = new double[p];
    for (int i = 0; i < hidden * 2; i++) {
      w[i] = rnd.nextGaussian() / Math.sqrt(2);
    }
    for (int i = hidden * 3; i < hidden * 4; i++) {
      w[i] = rnd.nextGaussian() / Math.sqrt(hidden);
    }
    double[] g = new double[p];
    double[] h = new double[hidden];
    int[] order = new int[samples];
    for (int i = 0; i < samples; i++) {
      order[i] = i;
    }
    double[] curve = new double[epochs];
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, rnd);
      double epochLoss = 0;
      int batches = 0;
      for (int start = 0; start < samples; start += batch) {
        java.util.Arrays.fill(g, 0);
        int end = Math.min(samples, start + batch);
        double batchLoss = 0;
        for (int k = start; k < end; k++) {
          int i = order[k];
          double z = w[p - 1];
          for (int j = 0; j < hidden; j++) {
            h[j] = Math.tanh(w[2 * j] * x[i][0] + w[2 * j + 1] * x[i][1] + w[hidden * 2 + j]);
            z += w[hidden * 3 + j] * h[j];
          }
          double err = z - y[i];
          batchLoss += 0.5 * err * err;
          g[p - 1] += err;
          for (int j = 0; j < hidden; j++) {
            g[hidden * 3 + j] += err * h[j];
            double dh = err * w[hidden * 3 + j] * (1 - h[j] * h[j]);
            g[2 * j] += dh * x[i][0];
            g[2 * j + 1] += dh * x[i][1];
            g[hidden * 2 + j] += dh;
          }
        }
        int size = end - start;
        for (int q = 0; q < p; q++) {
          w[q] -= learningRate * g[q] / size;
        }
        epochLoss += batchLoss / size;
        batches++;
      }
      curve[epoch] = epochLoss / batches;
    }
    return curve;
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }
}
