package dev.knobflow.examples.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable numeric table: named feature columns and one target column, as read by {@link
 * CsvTable}. Rows are addressed by index; {@link #select(int[])} takes a subset such as one side of
 * a split.
 */
public final class Table {

  private final String source;
  private final List<String> featureNames;
  private final String targetName;
  private final double[][] features;
  private final double[] targets;

  /**
   * A table from rows of features and their targets; the arrays are copied.
   *
   * @param source where the data came from, used in error messages (a file name)
   * @param featureNames one name per feature column
   * @param targetName the target column's name
   * @param features one row per example, each with {@code featureNames.size()} values
   * @param targets one target per row
   */
  public Table(
      String source,
      List<String> featureNames,
      String targetName,
      double[][] features,
      double[] targets) {
    this.source = Objects.requireNonNull(source, "source");
    this.featureNames = List.copyOf(featureNames);
    this.targetName = Objects.requireNonNull(targetName, "targetName");
    if (features.length != targets.length) {
      throw new IllegalArgumentException(
          source
              + ": "
              + features.length
              + " feature rows but "
              + targets.length
              + " targets; they must match");
    }
    this.features = new double[features.length][];
    for (int i = 0; i < features.length; i++) {
      if (features[i].length != this.featureNames.size()) {
        throw new IllegalArgumentException(
            source
                + ": row "
                + i
                + " has "
                + features[i].length
                + " features but there are "
                + this.featureNames.size()
                + " feature names");
      }
      this.features[i] = features[i].clone();
    }
    this.targets = targets.clone();
  }

  /** Where the data came from (a file name or resource). */
  public String source() {
    return source;
  }

  /** The feature column names in column order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The target column's name. */
  public String targetName() {
    return targetName;
  }

  /** The number of rows. */
  public int rowCount() {
    return targets.length;
  }

  /** The number of feature columns. */
  public int featureCount() {
    return featureNames.size();
  }

  /** The value of feature {@code column} in row {@code row}. */
  public double feature(int row, int column) {
    return features[row][column];
  }

  /** The target of row {@code row}. */
  public double target(int row) {
    return targets[row];
  }

  /** The targets as a fresh array. */
  public double[] targets() {
    return targets.clone();
  }

  /**
   * The targets as class labels; every target must be a whole number.
   *
   * @throws IllegalArgumentException naming the first row whose target is not a whole number
   */
  public int[] classLabels() {
    int[] labels = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      double t = targets[i];
      if (t != Math.rint(t) || t < Integer.MIN_VALUE || t > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            source
                + ": target column '"
                + targetName
                + "' must hold whole-number class labels, but row "
                + i
                + " has "
                + t);
      }
      labels[i] = (int) t;
    }
    return labels;
  }

  /** A new table with the given rows, in the given order (rows may repeat). */
  public Table select(int[] rows) {
    double[][] f = new double[rows.length][];
    double[] t = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      f[i] = features[rows[i]];
      t[i] = targets[rows[i]];
    }
    return new Table(source, featureNames, targetName, f, t);
  }

  /**
   * The features row after row as floats, the dense layout native libraries such as XGBoost take.
   */
  public float[] featuresRowMajor() {
    int columns = featureCount();
    float[] out = new float[rowCount() * columns];
    for (int i = 0; i < features.length; i++) {
      for (int j = 0; j < columns; j++) {
        out[i * columns + j] = (float) features[i][j];
      }
    }
    return out;
  }

  /** The targets as floats. */
  public float[] targetsAsFloats() {
    float[] out = new float[targets.length];
    for (int i = 0; i < targets.length; i++) {
      out[i] = (float) targets[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "Table["
        + source
        + ", "
        + rowCount()
        + " rows x "
        + featureCount()
        + " features, target '"
        + targetName
        + "', first features "
        + featureNames.subList(0, Math.min(3, featureNames.size()))
        + (featureNames.size() > 3 ? "..." : "")
        + "]";
  }

  // Arrays are compared by content so that two reads of the same file are equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof Table other
        && featureNames.equals(other.featureNames)
        && targetName.equals(other.targetName)
        && Arrays.deepEquals(features, other.features)
        && Arrays.equals(targets, other.targets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        featureNames, targetName, Arrays.deepHashCode(features), Arrays.hashCode(targets));
  }
}
