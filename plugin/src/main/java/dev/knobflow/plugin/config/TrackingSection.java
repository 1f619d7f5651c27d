package dev.knobflow.plugin.config;

import java.util.List;
import java.util.Optional;

/**
 * The study file's {@code tracking: {uri, experiment}} section, which says where the {@code mlflow}
 * storage keeps the study.
 */
final class TrackingSection {

  static final List<String> KEYS = List.of("uri", "experiment");

  private TrackingSection() {}

  /** The mlflow storage with the section's server and experiment filled in. */
  static StorageSpec.Mlflow apply(Section top, StorageSpec.Mlflow spec) {
    Optional<Section> section = top.section("tracking");
    if (section.isEmpty()) {
      return spec;
    }
    Section t = section.get();
    t.allowOnly(KEYS);
    String uri = spec.trackingUri();
    Optional<String> given = t.string("uri");
    if (given.isPresent()) {
      if (!uri.isEmpty() && !uri.equals(given.get())) {
        t.problem("uri", "conflicts with storage: mlflow:" + uri + "; give the server once");
      }
      if (!given.get().startsWith("http://") && !given.get().startsWith("https://")) {
        t.problem("uri", "must be an http:// or https:// URL, got '" + given.get() + "'");
      }
      uri = given.get();
    }
    String experiment = t.string("experiment").orElse(spec.experiment());
    if (experiment.isBlank() && t.has("experiment")) {
      t.problem("experiment", "must not be blank");
    }
    return new StorageSpec.Mlflow(uri, experiment);
  }
}
