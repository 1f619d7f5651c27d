package dev.knobflow.plugin.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code sampler} section of a study file: a type and its own settings, validated by the {@link
 * SamplerType} of that name.
 *
 * @param type e.g. {@code random}, {@code grid}, {@code sobol}
 * @param settings the other keys of the section as parsed from YAML
 */
public record SamplerSpec(String type, Map<String, Object> settings) {

  public SamplerSpec {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** The automatic sampler ({@code AutoSampler}), the default when a study file names none. */
  public static SamplerSpec auto() {
    return new SamplerSpec("auto", Map.of());
  }

  /** The random sampler. */
  public static SamplerSpec random() {
    return new SamplerSpec("random", Map.of());
  }
}
