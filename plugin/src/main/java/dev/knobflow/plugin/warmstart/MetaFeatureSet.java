package dev.knobflow.plugin.warmstart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Meta-features of one dataset. Values that do not apply (class statistics of a regression dataset,
 * skewness without numeric features, landmarkers that could not run) are {@code NaN} and absent
 * from {@link #asMap()}.
 *
 * @param task classification or regression, decided from the target column
 * @param rows data rows, including rows whose target is missing
 * @param features columns other than the target
 * @param classes distinct target values of a classification dataset, 0 for regression
 * @param classEntropy Shannon entropy of the class distribution in bits
 * @param imbalanceRatio count of the most frequent class divided by that of the least frequent
 * @param categoricalFraction share of features that are categorical (non-numeric)
 * @param missingFraction share of feature cells that are missing
 * @param meanAbsSkewness mean over non-constant numeric features of |skewness| (population, g1)
 * @param meanKurtosis mean over non-constant numeric features of excess kurtosis (population, g2)
 * @param stumpAccuracy hold-out accuracy of the best single-feature decision stump
 * @param nearestNeighbourAccuracy leave-one-out 1-NN accuracy on a subsample
 */
public record MetaFeatureSet(
    TaskType task,
    int rows,
    int features,
    int classes,
    double classEntropy,
    double imbalanceRatio,
    double categoricalFraction,
    double missingFraction,
    double meanAbsSkewness,
    double meanKurtosis,
    double stumpAccuracy,
    double nearestNeighbourAccuracy) {

  /** Key of {@link #rows()} in {@link #asMap()}. */
  public static final String ROWS = "rows";

  /** Key of {@link #features()}. */
  public static final String FEATURES = "features";

  /** Key of the task: 1 for classification, 0 for regression. */
  public static final String CLASSIFICATION = "classification";

  /** Key of {@link #classes()} (classification only). */
  public static final String CLASSES = "classes";

  /** Key of {@link #classEntropy()}. */
  public static final String CLASS_ENTROPY = "class_entropy";

  /** Key of {@link #imbalanceRatio()}. */
  public static final String IMBALANCE_RATIO = "imbalance_ratio";

  /** Key of {@link #categoricalFraction()}. */
  public static final String CATEGORICAL_FRACTION = "categorical_fraction";

  /** Key of {@link #missingFraction()}. */
  public static final String MISSING_FRACTION = "missing_fraction";

  /** Key of {@link #meanAbsSkewness()}. */
  public static final String MEAN_ABS_SKEWNESS = "mean_abs_skewness";

  /** Key of {@link #meanKurtosis()}. */
  public static final String MEAN_KURTOSIS = "mean_kurtosis";

  /** Key of {@link #stumpAccuracy()}. */
  public static final String STUMP_ACCURACY = "landmark_stump_accuracy";

  /** Key of {@link #nearestNeighbourAccuracy()}. */
  public static final String NN1_ACCURACY = "landmark_1nn_accuracy";

  /** Every key {@link #asMap()} may hold, in its order. */
  public static final List<String> KEYS =
      List.of(
          ROWS,
          FEATURES,
          CLASSIFICATION,
          CLASSES,
          CLASS_ENTROPY,
          IMBALANCE_RATIO,
          CATEGORICAL_FRACTION,
          MISSING_FRACTION,
          MEAN_ABS_SKEWNESS,
          MEAN_KURTOSIS,
          STUMP_ACCURACY,
          NN1_ACCURACY);

  /**
   * The meta-features by stable snake_case key, in {@link #KEYS} order, without the ones that do
   * not apply ({@code NaN}). This is what tags store and {@link WarmStart} compares.
   */
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    put(out, ROWS, rows);
    put(out, FEATURES, features);
    put(out, CLASSIFICATION, task == TaskType.CLASSIFICATION ? 1.0 : 0.0);
    if (task == TaskType.CLASSIFICATION) {
      put(out, CLASSES, classes);
    }
    put(out, CLASS_ENTROPY, classEntropy);
    put(out, IMBALANCE_RATIO, imbalanceRatio);
    put(out, CATEGORICAL_FRACTION, categoricalFraction);
    put(out, MISSING_FRACTION, missingFraction);
    put(out, MEAN_ABS_SKEWNESS, meanAbsSkewness);
    put(out, MEAN_KURTOSIS, meanKurtosis);
    put(out, STUMP_ACCURACY, stumpAccuracy);
    put(out, NN1_ACCURACY, nearestNeighbourAccuracy);
    return Collections.unmodifiableMap(out);
  }

  private static void put(Map<String, Double> out, String key, double value) {
    if (!Double.isNaN(value)) {
      out.put(key, value);
    }
  }

  /**
   * A two-column plain-text table (name, value) for terminals, one meta-feature per line, with the
   * task on the first line. Values that do not apply are shown as {@code -}.
   */
  public String toPrintableTable() {
    Map<String, Double> values = asMap();
    int width = "name".length();
    for (String key : KEYS) {
      width = Math.max(width, key.length());
    }
    StringBuilder out = new StringBuilder();
    String format = "%-" + width + "s  %s%n";
    out.append(String.format(Locale.ROOT, format, "name", "value"));
    out.append(String.format(Locale.ROOT, format, "task", task.name().toLowerCase(Locale.ROOT)));
    for (String key : KEYS) {
      Double value = values.get(key);
      out.append(String.format(Locale.ROOT, format, key, value == null ? "-" : format(value)));
    }
    return out.toString();
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
