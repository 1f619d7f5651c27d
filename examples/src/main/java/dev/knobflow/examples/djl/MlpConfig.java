package dev.knobflow.examples.djl;

import dev.knobflow.examples.config.ExampleSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link MlpObjective} trains on and how it scores. Every setting has a default and can be
 * overridden by a system property {@code knobflow.djl.<name>} or, failing that, an environment
 * variable {@code KNOBFLOW_DJL_<NAME>} (upper case, dashes as underscores):
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>dataset</td><td>(bundled digits.csv)</td><td>a CSV file with class labels 0..k-1 in
 *       the target column</td></tr>
 *   <tr><td>target</td><td>target</td><td>the target column</td></tr>
 *   <tr><td>feature-scale</td><td>16</td><td>features are divided by this (digits' pixels are
 *       0-16)</td></tr>
 *   <tr><td>epochs</td><td>27</td><td>epochs when no scheduler grants a budget</td></tr>
 *   <tr><td>test-fraction</td><td>0.25</td><td>held-out share</td></tr>
 *   <tr><td>split-seed</td><td>0</td><td>seed of the stratified split</td></tr>
 *   <tr><td>model-seed</td><td>0</td><td>seed of weight initialisation and batch order</td></tr>
 *   <tr><td>latency-rows</td><td>100</td><td>held-out rows predicted one at a time per timed
 *       run</td></tr>
 *   <tr><td>latency-warmups</td><td>2</td><td>untimed runs first</td></tr>
 *   <tr><td>latency-repeats</td><td>5</td><td>timed runs; the median counts</td></tr>
 * </table>
 *
 * @param dataset a CSV file, or empty for the bundled digits data
 * @param targetColumn the target column's name
 * @param featureScale the divisor applied to every feature, positive
 * @param epochs epochs without a budget, at least 1
 * @param testFraction the held-out share, strictly between 0 and 1
 * @param splitSeed the seed of the stratified split
 * @param modelSeed the seed of initial weights and batch shuffling
 * @param latencyRows rows per timed run, at least 1
 * @param latencyWarmups untimed runs, at least 0
 * @param latencyRepeats timed runs, at least 1
 */
public record MlpConfig(
    Optional<Path> dataset,
    String targetColumn,
    double featureScale,
    int epochs,
    double testFraction,
    long splitSeed,
    long modelSeed,
    int latencyRows,
    int latencyWarmups,
    int latencyRepeats) {

  /** The bundled dataset, as a classpath resource. */
  public static final String BUNDLED_DATASET = "/datasets/digits.csv";

  private static final ExampleSettings SETTINGS =
      new ExampleSettings("DJL example", "knobflow.djl.", "KNOBFLOW_DJL_");

  public MlpConfig {
    SETTINGS.require(featureScale > 0, "feature-scale", "positive", featureScale);
    SETTINGS.require(epochs >= 1, "epochs", "at least 1", epochs);
    SETTINGS.require(
        testFraction > 0 && testFraction < 1, "test-fraction", "between 0 and 1", testFraction);
    SETTINGS.require(latencyRows >= 1, "latency-rows", "at least 1", latencyRows);
    SETTINGS.require(latencyWarmups >= 0, "latency-warmups", "at least 0", latencyWarmups);
    SETTINGS.require(latencyRepeats >= 1, "latency-repeats", "at least 1", latencyRepeats);
    if (targetColumn == null || targetColumn.isBlank()) {
      throw new IllegalArgumentException(SETTINGS.describe("target") + " must not be blank");
    }
  }

  /** The defaults: bundled digits, 27 epochs, a 25 % stratified hold-out. */
  public static MlpConfig defaults() {
    return new MlpConfig(Optional.empty(), "target", 16, 27, 0.25, 0, 0, 100, 2, 5);
  }

  /** The defaults overridden by this JVM's system properties and environment. */
  public static MlpConfig fromEnvironment() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, String> properties = (Map) System.getProperties();
    return from(properties, System.getenv());
  }

  /**
   * The defaults overridden by {@code properties} ({@code knobflow.djl.*}) and then {@code env}
   * ({@code KNOBFLOW_DJL_*}); a property wins over an environment variable.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed or out of range
   */
  public static MlpConfig from(Map<String, String> properties, Map<String, String> env) {
    MlpConfig d = defaults();
    ExampleSettings.Reader in = SETTINGS.reader(properties, env);
    return new MlpConfig(
        in.get("dataset").map(Path::of),
        in.get("target").orElse(d.targetColumn()),
        in.getDouble("feature-scale", d.featureScale()),
        in.getInt("epochs", d.epochs()),
        in.getDouble("test-fraction", d.testFraction()),
        in.getLong("split-seed", d.splitSeed()),
        in.getLong("model-seed", d.modelSeed()),
        in.getInt("latency-rows", d.latencyRows()),
        in.getInt("latency-warmups", d.latencyWarmups()),
        in.getInt("latency-repeats", d.latencyRepeats()));
  }

  /** The same configuration training {@code n} epochs without a budget. */
  public MlpConfig withEpochs(int n) {
    return new MlpConfig(
        dataset,
        targetColumn,
        featureScale,
        n,
        testFraction,
        splitSeed,
        modelSeed,
        latencyRows,
        latencyWarmups,
        latencyRepeats);
  }
}
