package dev.knobflow.plugin.cli;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --tracking-uri} and {@code --experiment}: the same two options, with the same meaning, on
 * every command that reaches MLflow ({@code tune}, {@code worker}, {@code resume}, {@code show},
 * {@code report}, {@code importance}, {@code studies}). They win over the study file's {@code
 * tracking:} section and the MLflow environment variables, and apply to the MLflow storage and to
 * tracking alike (one MLflow model: {@link MlflowSettings}).
 */
final class TrackingOptions {

  @Option(
      names = "--tracking-uri",
      paramLabel = "URI",
      description =
          "The MLflow tracking server (http:// or https://); wins over the study file's"
              + " tracking.uri and MLFLOW_TRACKING_URI.")
  String trackingUri;

  @Option(
      names = "--experiment",
      paramLabel = "NAME",
      description =
          "The MLflow experiment of the study's runs (and of the mlflow storage); wins over the"
              + " study file's tracking.experiment and MLFLOW_EXPERIMENT_NAME.")
  String experiment;

  /** The options checked: a bad URI or a blank experiment is bad input naming the option. */
  TrackingOptions validated() {
    if (trackingUri != null) {
      try {
        MlflowConnection.of(trackingUri);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--tracking-uri: " + e.getMessage());
      }
    }
    if (experiment != null && experiment.isBlank()) {
      throw new BadInputException("--experiment must not be blank");
    }
    return this;
  }

  /** {@code spec} with these options applied when it is the MLflow storage. */
  StorageSpec apply(StorageSpec spec) {
    validated();
    if (spec instanceof StorageSpec.Mlflow m) {
      return new StorageSpec.Mlflow(
          trackingUri != null ? trackingUri : m.trackingUri(),
          experiment != null ? experiment : m.experiment());
    }
    return spec;
  }

  /** {@code settings} with these options applied (a URI turns tracking on). */
  MlflowSettings apply(MlflowSettings settings, String studyName, Map<String, String> env) {
    validated();
    return settings.withOverrides(
        Optional.ofNullable(trackingUri), Optional.ofNullable(experiment), studyName, env);
  }
}
