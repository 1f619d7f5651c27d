package dev.knobflow.examples.djl;

import dev.knobflow.examples.data.Split;
import dev.knobflow.examples.data.Splits;
import dev.knobflow.examples.data.Table;

/**
 * The MLP examples' data: a table's rows split by a seeded stratified hold-out and scaled, as
 * training and held-out sets. {@link MlpObjective} and {@link MlpSegmentTrainer} both train on it,
 * so they see the same split of the same rows.
 *
 * @param train the training rows
 * @param valid the held-out rows
 * @param features features per row
 * @param classes class count (labels 0..classes-1)
 */
record MlpData(MlpNetwork.Data train, MlpNetwork.Data valid, int features, int classes) {

  /** The configured dataset (the bundled digits by default), split as configured. */
  static MlpData load(MlpConfig config) {
    return of(config, config.data().load(MlpConfig.BUNDLED_DATASET));
  }

  /**
   * A table whose target holds class labels 0..k-1, split as configured.
   *
   * @throws IllegalArgumentException if a label is negative or not a whole number, or fewer than
   *     two classes occur
   */
  static MlpData of(MlpConfig config, Table table) {
    int[] labels = table.classLabels();
    int max = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException(
            table.source()
                + ": target column '"
                + table.targetName()
                + "' must hold class labels 0, 1, 2, ..., but row "
                + i
                + " has "
                + labels[i]);
      }
      max = Math.max(max, labels[i]);
    }
    if (max < 1) {
      throw new IllegalArgumentException(
          table.source() + ": target column '" + table.targetName() + "' holds a single class");
    }
    Split split =
        Splits.stratifiedHoldout(labels, config.data().testFraction(), config.data().splitSeed());
    return new MlpData(
        scaled(split.train(table), config.featureScale()),
        scaled(split.test(table), config.featureScale()),
        table.featureCount(),
        max + 1);
  }

  private static MlpNetwork.Data scaled(Table table, double scale) {
    float[] x = table.featuresRowMajor();
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (x[i] / scale);
    }
    return new MlpNetwork.Data(x, table.targetsAsFloats(), table.rowCount());
  }
}
