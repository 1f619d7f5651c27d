package dev.knobflow.examples.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.knobflow.examples.metrics.Latency;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A multi-layer perceptron (ReLU hidden layers, a linear output, softmax cross-entropy) on DJL's
 * PyTorch engine, trained epoch by epoch. Batches are drawn in an order seeded by the model seed
 * and the epoch's index, so epoch {@code e} sees the same batches whether the network trains from
 * scratch or continues from a checkpoint. Not thread-safe, but several networks may train on
 * several threads (their batches take turns); close it to free native memory.
 */
final class MlpNetwork implements AutoCloseable {

  /** DJL's name for the PyTorch engine. */
  static final String ENGINE = "PyTorch";

  /**
   * DJL's PyTorch engine allows one gradient collector per process at a time ("A
   * PtGradientCollector is already collecting"), so networks training on several threads take turns
   * batch by batch.
   */
  private static final Object AUTOGRAD = new Object();

  private final MlpParams params;
  private final int features;
  private final Model model;
  private final Trainer trainer;
  private final Loss loss = Loss.softmaxCrossEntropyLoss();

  private MlpNetwork(
      MlpParams params, double weightDecay, int features, int classes, Initializer initializer) {
    this.params = params;
    this.features = features;
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < params.hiddenLayers(); i++) {
      block.add(Linear.builder().setUnits(params.hiddenUnits()).build());
      block.add(Activation.reluBlock());
    }
    block.add(Linear.builder().setUnits(classes).build());
    Model m = Model.newInstance("mlp", ENGINE);
    try {
      m.setBlock(block);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(loss)
              .optOptimizer(optimizer(params, weightDecay))
              .optInitializer(initializer, (Parameter p) -> true);
      this.trainer = m.newTrainer(config);
      trainer.initialize(new Shape(1, features));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    this.model = m;
  }

  /** A new network with seeded initial weights. */
  static MlpNetwork create(MlpParams params, int features, int classes, long seed) {
    return create(params, 0, features, classes, seed);
  }

  /**
   * A new network with seeded initial weights whose optimizer adds {@code weightDecay} times each
   * weight to its gradient (L2 regularisation, DJL's weight decay; 0 for none).
   */
  static MlpNetwork create(
      MlpParams params, double weightDecay, int features, int classes, long seed) {
    return new MlpNetwork(params, weightDecay, features, classes, new SeededInitializer(seed));
  }

  /** A network of the same architecture starting from a checkpoint's weights. */
  static MlpNetwork resume(MlpParams params, int features, int classes, MlpCheckpoint from) {
    return resume(params, 0, features, classes, from);
  }

  /** As {@link #resume(MlpParams, int, int, MlpCheckpoint)}, with weight decay. */
  static MlpNetwork resume(
      MlpParams params, double weightDecay, int features, int classes, MlpCheckpoint from) {
    return new MlpNetwork(params, weightDecay, features, classes, from.initializer());
  }

  private static Optimizer optimizer(MlpParams params, double weightDecay) {
    Tracker rate = Tracker.fixed((float) params.learningRate());
    float decay = (float) weightDecay;
    return switch (params.optimizer()) {
      case "sgd" -> Optimizer.sgd().setLearningRateTracker(rate).optWeightDecays(decay).build();
      case "adam" -> Optimizer.adam().optLearningRateTracker(rate).optWeightDecays(decay).build();
      default -> throw new IllegalArgumentException("unknown optimizer " + params.optimizer());
    };
  }

  /**
   * Trains one epoch over {@code rows} rows of {@code x} (row-major) with labels {@code y}.
   *
   * @param epoch the epoch's index (1 for the first), which seeds the batch order
   * @return the mean training loss over the epoch's batches; NaN or infinite when training broke
   */
  double trainEpoch(Data data, int epoch, long seed) {
    int rows = data.rows();
    int[] order = shuffled(rows, new Random(seed * 1_000_003L + epoch));
    double lossSum = 0;
    int batches = 0;
    int batchSize = params.batchSize();
    for (int start = 0; start < rows; start += batchSize) {
      int n = Math.min(batchSize, rows - start);
      float[] bx = new float[n * features];
      float[] by = new float[n];
      for (int i = 0; i < n; i++) {
        int r = order[start + i];
        System.arraycopy(data.x(), r * features, bx, i * features, features);
        by[i] = data.y()[r];
      }
      synchronized (AUTOGRAD) {
        try (NDManager batch = trainer.getManager().newSubManager();
            GradientCollector collector = trainer.newGradientCollector()) {
          NDArray input = batch.create(bx, new Shape(n, features));
          NDArray labels = batch.create(by, new Shape(n));
          NDArray predictions = trainer.forward(new NDList(input)).singletonOrThrow();
          NDArray value = loss.evaluate(new NDList(labels), new NDList(predictions));
          collector.backward(value);
          lossSum += value.getFloat();
        }
        trainer.step();
      }
      batches++;
    }
    return lossSum / batches;
  }

  /** Accuracy and mean loss on {@code data}, without training. */
  Evaluation evaluate(Data data) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray input = scope.create(data.x(), new Shape(data.rows(), features));
      NDArray labels = scope.create(data.y(), new Shape(data.rows()));
      NDArray logits = trainer.evaluate(new NDList(input)).singletonOrThrow();
      double meanLoss = loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
      long[] predicted = logits.argMax(1).toLongArray();
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == (long) data.y()[i]) {
          correct++;
        }
      }
      return new Evaluation((double) correct / data.rows(), meanLoss);
    }
  }

  /**
   * Milliseconds per prediction of a single row: the first {@code rows} rows of {@code data} are
   * predicted one at a time, each to its class; the median over {@code latency}'s timed runs,
   * divided by the rows.
   */
  double latencyMillisPerRow(Data data, int rows, Latency latency) throws Exception {
    int n = Math.min(rows, data.rows());
    float[][] single = new float[n][];
    for (int r = 0; r < n; r++) {
      single[r] = new float[features];
      System.arraycopy(data.x(), r * features, single[r], 0, features);
    }
    Shape shape = new Shape(1, features);
    double millis =
        latency.medianMillis(
            () -> {
              for (float[] row : single) {
                try (NDManager scope = trainer.getManager().newSubManager()) {
                  NDArray input = scope.create(row, shape);
                  trainer.evaluate(new NDList(input)).singletonOrThrow().argMax().getLong();
                }
              }
            });
    return millis / n;
  }

  /** This network's weights after {@code epochs} epochs. */
  MlpCheckpoint checkpoint(int epochs) {
    List<long[]> shapes = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      NDArray array = p.getValue().getArray();
      shapes.add(array.getShape().getShape());
      values.add(array.toFloatArray());
    }
    return new MlpCheckpoint(epochs, shapes, values);
  }

  /** Trainable parameters in all layers. */
  long parameterCount() {
    long count = 0;
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      count += p.getValue().getArray().size();
    }
    return count;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }

  private static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * Rows of features (row-major) and their class labels as floats (DJL's sparse labels).
   *
   * @param x features, {@code rows * features} values
   * @param y labels 0..classes-1
   * @param rows the row count
   */
  record Data(float[] x, float[] y, int rows) {}

  /**
   * Accuracy and mean loss on a data set.
   *
   * @param accuracy share predicted right
   * @param loss mean softmax cross-entropy
   */
  record Evaluation(double accuracy, double loss) {}
}
