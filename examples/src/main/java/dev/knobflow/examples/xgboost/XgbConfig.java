package dev.knobflow.examples.xgboost;

import dev.knobflow.examples.config.DataSettings;
import dev.knobflow.examples.config.ExampleSettings;
import java.util.Map;

/**
 * What {@link XgbObjective} trains on and how it scores. Every setting has a default and can be
 * overridden by a system property {@code knobflow.xgb.<name>} or, failing that, an environment
 * variable {@code KNOBFLOW_XGB_<NAME>} (upper case, dashes as underscores):
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>dataset</td><td>(bundled breast_cancer.csv)</td><td>path of a CSV file with a binary
 *       0/1 target</td></tr>
 *   <tr><td>target</td><td>target</td><td>the target column</td></tr>
 *   <tr><td>rounds</td><td>100</td><td>boosting rounds when no scheduler grants a budget</td></tr>
 *   <tr><td>folds</td><td>0</td><td>0 for a hold-out split, otherwise stratified k-fold</td></tr>
 *   <tr><td>test-fraction</td><td>0.25</td><td>hold-out share</td></tr>
 *   <tr><td>split-seed</td><td>0</td><td>seed of the split</td></tr>
 *   <tr><td>model-seed</td><td>0</td><td>XGBoost's own seed (row and column subsampling)</td></tr>
 *   <tr><td>latency-rows</td><td>1000</td><td>rows per timed prediction batch</td></tr>
 *   <tr><td>latency-warmups</td><td>3</td><td>untimed batches first</td></tr>
 *   <tr><td>latency-repeats</td><td>7</td><td>timed batches; the median counts</td></tr>
 * </table>
 *
 * @param data the dataset, split, model seed and latency settings every example shares
 * @param rounds boosting rounds, at least 1
 * @param folds 0 for hold-out, otherwise the number of folds (at least 2)
 */
public record XgbConfig(DataSettings data, int rounds, int folds) {

  /** The bundled dataset, as a classpath resource. */
  public static final String BUNDLED_DATASET = "/datasets/breast_cancer.csv";

  private static final ExampleSettings SETTINGS =
      new ExampleSettings("XGBoost example", "knobflow.xgb.", "KNOBFLOW_XGB_");

  public XgbConfig {
    data.check(SETTINGS);
    SETTINGS.require(rounds >= 1, "rounds", "at least 1", rounds);
    SETTINGS.require(folds == 0 || folds >= 2, "folds", "0 (hold-out) or at least 2", folds);
  }

  /** The defaults: bundled breast cancer data, 100 rounds, a 25 % stratified hold-out. */
  public static XgbConfig defaults() {
    return new XgbConfig(DataSettings.defaults(0.25, 1000, 3, 7), 100, 0);
  }

  /** The defaults overridden by this JVM's system properties and environment. */
  public static XgbConfig fromEnvironment() {
    return from(ExampleSettings.systemProperties(), System.getenv());
  }

  /**
   * The defaults overridden by {@code properties} ({@code knobflow.xgb.*}) and then {@code env}
   * ({@code KNOBFLOW_XGB_*}); a property wins over an environment variable.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed or out of range
   */
  public static XgbConfig from(Map<String, String> properties, Map<String, String> env) {
    XgbConfig d = defaults();
    ExampleSettings.Reader in = SETTINGS.reader(properties, env);
    return new XgbConfig(
        DataSettings.read(in, d.data()),
        in.getInt("rounds", d.rounds()),
        in.getInt("folds", d.folds()));
  }

  /** The same configuration with a different number of boosting rounds. */
  public XgbConfig withRounds(int newRounds) {
    return new XgbConfig(data, newRounds, folds);
  }

  /** The same configuration with {@code k}-fold cross-validation (0 for hold-out). */
  public XgbConfig withFolds(int k) {
    return new XgbConfig(data, rounds, k);
  }
}
