package dev.knobflow.examples.config;

import dev.knobflow.examples.data.CsvTable;
import dev.knobflow.examples.data.Table;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The settings every example shares: the dataset and its target, the hold-out split, the model's
 * seed and how prediction latency is timed. Read with the example's own prefixes ({@link
 * ExampleSettings}).
 *
 * @param dataset a CSV file, or empty for the example's bundled data
 * @param targetColumn the target column's name
 * @param testFraction the hold-out share, strictly between 0 and 1
 * @param splitSeed the seed of the stratified split
 * @param modelSeed the model's own seed
 * @param latencyRows rows per timed prediction batch, at least 1
 * @param latencyWarmups untimed batches first, at least 0
 * @param latencyRepeats timed batches (the median counts), at least 1
 */
public record DataSettings(
    Optional<Path> dataset,
    String targetColumn,
    double testFraction,
    long splitSeed,
    long modelSeed,
    int latencyRows,
    int latencyWarmups,
    int latencyRepeats) {

  /** Bundled data, target column {@code target}, seeds 0 and the given split and latency. */
  public static DataSettings defaults(
      double testFraction, int latencyRows, int latencyWarmups, int latencyRepeats) {
    return new DataSettings(
        Optional.empty(),
        "target",
        testFraction,
        0,
        0,
        latencyRows,
        latencyWarmups,
        latencyRepeats);
  }

  /**
   * These settings, checked; errors name the setting as {@code settings} spells it.
   *
   * @throws IllegalArgumentException naming the setting when a value is out of range
   */
  public DataSettings check(ExampleSettings settings) {
    settings.require(
        testFraction > 0 && testFraction < 1, "test-fraction", "between 0 and 1", testFraction);
    settings.require(latencyRows >= 1, "latency-rows", "at least 1", latencyRows);
    settings.require(latencyWarmups >= 0, "latency-warmups", "at least 0", latencyWarmups);
    settings.require(latencyRepeats >= 1, "latency-repeats", "at least 1", latencyRepeats);
    if (targetColumn == null || targetColumn.isBlank()) {
      throw new IllegalArgumentException(settings.describe("target") + " must not be blank");
    }
    return this;
  }

  /** {@code defaults} overridden by the settings {@code in} reads. */
  public static DataSettings read(ExampleSettings.Reader in, DataSettings defaults) {
    return new DataSettings(
        in.get("dataset").map(Path::of),
        in.get("target").orElse(defaults.targetColumn()),
        in.getDouble("test-fraction", defaults.testFraction()),
        in.getLong("split-seed", defaults.splitSeed()),
        in.getLong("model-seed", defaults.modelSeed()),
        in.getInt("latency-rows", defaults.latencyRows()),
        in.getInt("latency-warmups", defaults.latencyWarmups()),
        in.getInt("latency-repeats", defaults.latencyRepeats()));
  }

  /** The dataset, or the classpath resource {@code bundled} when none is set. */
  public Table load(String bundled) {
    return dataset
        .map(path -> CsvTable.read(path, targetColumn))
        .orElseGet(() -> CsvTable.readResource(bundled, targetColumn));
  }
}
