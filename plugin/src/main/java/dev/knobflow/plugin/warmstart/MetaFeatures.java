package dev.knobflow.plugin.warmstart;

import dev.knobflow.plugin.csv.CsvReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Computes {@link MetaFeatureSet dataset meta-features} from a CSV file or a {@link Table}.
 *
 * <pre>{@code
 * MetaFeatureSet meta = MetaFeatures.defaults().fromCsv(Path.of("train.csv"), "label");
 * Map<String, Double> features = meta.asMap();
 * }</pre>
 *
 * <p>Results are deterministic for a given seed: the landmarkers draw their hold-out split and
 * subsample from it.
 */
public final class MetaFeatures {

  /** A plain decimal number; stricter than {@link Double#parseDouble} (no {@code 1d}, hex). */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final long seed;
  private final double holdOutFraction;
  private final int maxNeighbourRows;
  private final int maxClassValues;

  private MetaFeatures(Builder b) {
    this.seed = b.seed;
    this.holdOutFraction = b.holdOutFraction;
    this.maxNeighbourRows = b.maxNeighbourRows;
    this.maxClassValues = b.maxClassValues;
  }

  /** Seed 42, 30% stump hold-out, 1-NN on at most 500 rows, up to 20 integral class values. */
  public static MetaFeatures defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The meta-features of a CSV file (see {@link CsvReader} for the accepted format).
   *
   * @throws IllegalArgumentException naming file, line and column for malformed CSV, or listing the
   *     available columns when {@code target} is not one of them
   */
  public MetaFeatureSet fromCsv(Path csv, String target) {
    return compute(CsvTable.read(csv), target);
  }

  /**
   * A printable (name, value) table of a CSV file's meta-features, for {@code knobflow
   * meta-features data.csv --target COL}.
   */
  public static String printableTable(Path csv, String target) {
    return defaults().fromCsv(csv, target).toPrintableTable();
  }

  /** The meta-features of {@code table} with {@code target} as the label column. */
  public MetaFeatureSet compute(Table table, String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target: name the target column");
    }
    int targetIndex = table.columnIndex(target);
    int rows = table.rowCount();
    List<Column> features = new ArrayList<>();
    for (int c = 0; c < table.columnNames().size(); c++) {
      if (c != targetIndex) {
        features.add(Column.of(table, c));
      }
    }
    Column targetColumn = Column.of(table, targetIndex);
    TaskType task = taskOf(targetColumn);

    long missing = 0;
    int categorical = 0;
    for (Column f : features) {
      missing += f.missingCount();
      if (!f.numeric()) {
        categorical++;
      }
    }
    int featureCount = features.size();
    double missingFraction =
        featureCount == 0 || rows == 0 ? 0.0 : (double) missing / ((double) rows * featureCount);
    double categoricalFraction = featureCount == 0 ? 0.0 : (double) categorical / featureCount;

    double[] shape = Moments.meanAbsSkewnessAndKurtosis(features);

    if (task == TaskType.REGRESSION) {
      return new MetaFeatureSet(
          task,
          rows,
          featureCount,
          0,
          Double.NaN,
          Double.NaN,
          categoricalFraction,
          missingFraction,
          shape[0],
          shape[1],
          Double.NaN,
          Double.NaN);
    }

    Labels labels = Labels.of(targetColumn);
    double entropy = 0;
    int minCount = Integer.MAX_VALUE;
    int maxCount = 0;
    for (int count : labels.counts()) {
      double p = (double) count / labels.labelledRows().length;
      entropy -= p * (Math.log(p) / Math.log(2));
      minCount = Math.min(minCount, count);
      maxCount = Math.max(maxCount, count);
    }
    int classes = labels.counts().length;
    double imbalance = classes == 0 ? Double.NaN : (double) maxCount / minCount;
    double stump = Double.NaN;
    double nn = Double.NaN;
    if (classes >= 2 && featureCount > 0) {
      FeatureMatrix matrix = FeatureMatrix.of(features, labels.labelledRows());
      stump = Landmarkers.stumpAccuracy(matrix, labels, holdOutFraction, seed);
      nn = Landmarkers.nearestNeighbourAccuracy(matrix, labels, maxNeighbourRows, seed);
    }
    return new MetaFeatureSet(
        task,
        rows,
        featureCount,
        classes,
        classes == 0 ? Double.NaN : entropy,
        imbalance,
        categoricalFraction,
        missingFraction,
        shape[0],
        shape[1],
        stump,
        nn);
  }

  private TaskType taskOf(Column target) {
    if (!target.numeric()) {
      return TaskType.CLASSIFICATION;
    }
    Map<Double, Boolean> distinct = new HashMap<>();
    for (double v : target.numbers()) {
      if (Double.isNaN(v)) {
        continue;
      }
      if (v != Math.rint(v)) {
        return TaskType.REGRESSION;
      }
      distinct.put(v, Boolean.TRUE);
      if (distinct.size() > maxClassValues) {
        return TaskType.REGRESSION;
      }
    }
    return TaskType.CLASSIFICATION;
  }

  /**
   * One column, typed: numeric columns hold doubles ({@code NaN} when missing), categorical ones
   * hold their texts ({@code null} when missing).
   */
  record Column(String name, boolean numeric, double[] numbers, String[] texts) {

    static Column of(Table table, int column) {
      int rows = table.rowCount();
      double[] numbers = new double[rows];
      boolean numeric = true;
      for (int r = 0; r < rows && numeric; r++) {
        Object cell = table.cell(r, column);
        if (cell == null) {
          numbers[r] = Double.NaN;
        } else if (cell instanceof Number n && Double.isFinite(n.doubleValue())) {
          numbers[r] = n.doubleValue();
        } else if (cell instanceof Number n) {
          numbers[r] = Double.NaN; // a NaN cell is missing, as in the CSV reader
        } else {
          String text = cell.toString().trim();
          if (CsvReader.isMissing(text)) {
            numbers[r] = Double.NaN;
          } else if (NUMBER.matcher(text).matches()) {
            numbers[r] = Double.parseDouble(text);
          } else {
            numeric = false;
          }
        }
      }
      String name = table.columnNames().get(column);
      if (numeric) {
        return new Column(name, true, numbers, null);
      }
      String[] texts = new String[rows];
      for (int r = 0; r < rows; r++) {
        Object cell = table.cell(r, column);
        if (cell instanceof Number n) {
          texts[r] = Double.isNaN(n.doubleValue()) ? null : canonicalNumberText(n);
        } else if (cell != null && !CsvReader.isMissing(cell.toString())) {
          texts[r] = cell.toString().trim();
        }
      }
      return new Column(name, false, null, texts);
    }

    private static String canonicalNumberText(Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    boolean isMissing(int row) {
      return numeric ? Double.isNaN(numbers[row]) : texts[row] == null;
    }

    long missingCount() {
      int rows = numeric ? numbers.length : texts.length;
      long count = 0;
      for (int r = 0; r < rows; r++) {
        if (isMissing(r)) {
          count++;
        }
      }
      return count;
    }
  }

  /** The class of each labelled row, as an index into the sorted distinct labels. */
  record Labels(int[] labelledRows, int[] classOf, int[] counts) {

    static Labels of(Column target) {
      int rows = target.numeric() ? target.numbers().length : target.texts().length;
      Map<String, Integer> index = new LinkedHashMap<>();
      List<String> keys = new ArrayList<>();
      List<Integer> labelled = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        if (!target.isMissing(r)) {
          keys.add(labelOf(target, r));
          labelled.add(r);
        }
      }
      // Sorted labels make class indices independent of row order.
      List<String> distinct = keys.stream().distinct().sorted().toList();
      for (int i = 0; i < distinct.size(); i++) {
        index.put(distinct.get(i), i);
      }
      int[] rowsOut = new int[labelled.size()];
      int[] classOf = new int[labelled.size()];
      int[] counts = new int[distinct.size()];
      for (int i = 0; i < labelled.size(); i++) {
        rowsOut[i] = labelled.get(i);
        classOf[i] = index.get(keys.get(i));
        counts[classOf[i]]++;
      }
      return new Labels(rowsOut, classOf, counts);
    }

    private static String labelOf(Column target, int row) {
      if (!target.numeric()) {
        return target.texts()[row];
      }
      // Integral by construction for classification; "1" and "1.0" are the same class.
      return String.format("%020d", (long) target.numbers()[row]);
    }

    int classCount() {
      return counts.length;
    }
  }

  /** Options of {@link MetaFeatures}. */
  public static final class Builder {
    private long seed = 42;
    private double holdOutFraction = 0.3;
    private int maxNeighbourRows = 500;
    private int maxClassValues = 20;

    private Builder() {}

    /** The seed of the landmarkers' hold-out split and subsample (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The share of each class held out to score the decision stump, in (0, 1) (default 0.3). */
    public Builder holdOutFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "holdOutFraction: must be between 0 and 1 exclusive, got " + fraction);
      }
      this.holdOutFraction = fraction;
      return this;
    }

    /** The most rows the 1-NN landmarker uses, at least 2 (default 500). */
    public Builder maxNeighbourRows(int rows) {
      if (rows < 2) {
        throw new IllegalArgumentException("maxNeighbourRows: must be at least 2, got " + rows);
      }
      this.maxNeighbourRows = rows;
      return this;
    }

    /**
     * The most distinct integral values a numeric target may have and still be a class label
     * (default 20).
     */
    public Builder maxClassValues(int values) {
      if (values < 2) {
        throw new IllegalArgumentException("maxClassValues: must be at least 2, got " + values);
      }
      this.maxClassValues = values;
      return this;
    }

    public MetaFeatures build() {
      return new MetaFeatures(this);
    }
  }
}
