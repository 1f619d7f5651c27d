package dev.knobflow.optimizers.samplers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a sampler decided for one trial before it runs: a joint sample over (part of) the relative
 * search space, and the system attributes to store on the trial with it (an NSGA-II generation and
 * parents, a grid index, fitted GP hyperparameters). A value, so that nothing a sampler decides is
 * kept in the sampler between {@code sampleRelative} and the trial's start.
 *
 * @param params parameter values by name; parameters left out are sampled independently
 * @param attributes system attributes to store on the trial (JSON-like values)
 */
public record RelativeSample(Map<String, Object> params, Map<String, Object> attributes) {

  private static final RelativeSample EMPTY = new RelativeSample(Map.of(), Map.of());

  public RelativeSample {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params)));
    attributes =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(attributes)));
  }

  /** Nothing decided: every parameter is sampled independently, no attributes. */
  public static RelativeSample empty() {
    return EMPTY;
  }

  /** A joint sample without attributes. */
  public static RelativeSample of(Map<String, Object> params) {
    return params.isEmpty() ? EMPTY : new RelativeSample(params, Map.of());
  }

  /** Attributes only: every parameter is sampled independently. */
  public static RelativeSample attributesOnly(Map<String, Object> attributes) {
    return attributes.isEmpty() ? EMPTY : new RelativeSample(Map.of(), attributes);
  }

  /** This sample with {@code extra} attributes added (they win over equal keys). */
  public RelativeSample withAttributes(Map<String, Object> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, Object> merged = new LinkedHashMap<>(attributes);
    merged.putAll(extra);
    return new RelativeSample(params, merged);
  }
}
