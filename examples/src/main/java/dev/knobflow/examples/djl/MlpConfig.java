package dev.knobflow.examples.djl;

import dev.knobflow.examples.config.DataSettings;
import dev.knobflow.examples.config.ExampleSettings;
import java.util.Map;

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
 * @param data the dataset, split, model seed and latency settings every example shares
 * @param featureScale features are divided by this, positive
 * @param epochs epochs when no scheduler grants a budget, at least 1
 */
public record MlpConfig(DataSettings data, double featureScale, int epochs) {

  /** The bundled dataset, as a classpath resource. */
  public static final String BUNDLED_DATASET = "/datasets/digits.csv";

  private static final ExampleSettings SETTINGS =
      new ExampleSettings("DJL example", "knobflow.djl.", "KNOBFLOW_DJL_");

  public MlpConfig {
    data.check(SETTINGS);
    SETTINGS.require(featureScale > 0, "feature-scale", "positive", featureScale);
    SETTINGS.require(epochs >= 1, "epochs", "at least 1", epochs);
  }

  /** The defaults: bundled digits, 27 epochs, a 25 % stratified hold-out. */
  public static MlpConfig defaults() {
    return new MlpConfig(DataSettings.defaults(0.25, 100, 2, 5), 16, 27);
  }

  /** The defaults overridden by this JVM's system properties and environment. */
  public static MlpConfig fromEnvironment() {
    return from(ExampleSettings.systemProperties(), System.getenv());
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
        DataSettings.read(in, d.data()),
        in.getDouble("feature-scale", d.featureScale()),
        in.getInt("epochs", d.epochs()));
  }

  /** The same configuration training {@code n} epochs without a budget. */
  public MlpConfig withEpochs(int n) {
    return new MlpConfig(data, featureScale, n);
  }
}
