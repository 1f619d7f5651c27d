package dev.knobflow.plugin.config;

import dev.knobflow.mlflowrest.MlflowConnection;
import java.util.List;
import java.util.Optional;

/**
 * The one parser of the study file's {@code tracking: {uri, experiment}} section. The study file
 * parser applies it to the {@code mlflow} storage ({@link #apply}); {@code
 * dev.knobflow.plugin.mlflow.MlflowSettings} combines it with the MLflow environment variables into
 * the study's tracking settings ({@link #read}).
 */
public final class TrackingSection {

  /** The section's keys. */
  public static final List<String> KEYS = List.of("uri", "experiment");

  /**
   * What the section says.
   *
   * @param present whether the file has a {@code tracking:} section that is a map
   * @param uriKey whether it has a {@code uri} key (valid or not)
   * @param uri the server's URL, checked, when given
   * @param experiment the experiment, not blank, when given
   */
  public record Keys(
      boolean present, boolean uriKey, Optional<String> uri, Optional<String> experiment) {}

  private TrackingSection() {}

  /**
   * Reads and checks the section under {@code top}: only {@code uri} and {@code experiment}, a
   * valid {@code http(s)://} URL, a non-blank experiment. Problems go to {@code top}'s problems.
   */
  public static Keys read(Section top) {
    if (!top.has("tracking")) {
      return new Keys(false, false, Optional.empty(), Optional.empty());
    }
    Optional<Section> section = top.section("tracking");
    if (section.isEmpty()) {
      return new Keys(false, false, Optional.empty(), Optional.empty());
    }
    Section t = section.get();
    t.allowOnly(KEYS);
    Optional<String> uri = t.string("uri");
    if (uri.isPresent()) {
      try {
        MlflowConnection.of(uri.get());
      } catch (IllegalArgumentException e) {
        t.problem("uri", e.getMessage());
        uri = Optional.empty();
      }
    }
    Optional<String> experiment = t.string("experiment");
    if (experiment.isPresent() && experiment.get().isBlank()) {
      t.problem("experiment", "must not be blank");
      experiment = Optional.empty();
    }
    return new Keys(true, t.has("uri"), uri, experiment);
  }

  /** The mlflow storage with the section's server and experiment filled in. */
  static StorageSpec.Mlflow apply(Section top, StorageSpec.Mlflow spec) {
    Keys keys = read(top);
    String uri = spec.trackingUri();
    if (keys.uri().isPresent()) {
      if (!uri.isEmpty() && !uri.equals(keys.uri().get())) {
        top.problem(
            "tracking.uri", "conflicts with storage: mlflow:" + uri + "; give the server once");
      }
      uri = keys.uri().get();
    }
    return new StorageSpec.Mlflow(uri, keys.experiment().orElse(spec.experiment()));
  }
}
