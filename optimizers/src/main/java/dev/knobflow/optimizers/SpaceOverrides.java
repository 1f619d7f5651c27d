package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The narrowed ranges of a study, kept in its storage as the study attribute {@value #STUDY_ATTR}
 * so that every worker and a resumed study apply them.
 *
 * <p>How they apply: {@link Trial#suggest} still records the distribution the objective asked for,
 * so every trial of the study keeps the same distributions and model-based samplers, which compare
 * distributions across trials (intersection search spaces), keep modelling the parameter. Only the
 * value is constrained: a joint (relative) sample inside the narrowed range is kept as is; one
 * outside it, and every independent sample, is drawn by the study's sampler from the narrowed
 * distribution. Random sampling thus stays uniform over the narrowed range; a model-based sampler
 * keeps its proposals that respect the override. Enqueued (fixed) values are explicit choices and
 * are not overridden.
 */
public record SpaceOverrides(Map<String, SpaceOverride> byParam) {

  /** The study attribute holding the overrides: param -> {low, high, cause}. */
  public static final String STUDY_ATTR = "space_overrides";

  public SpaceOverrides {
    byParam =
        byParam.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(byParam));
  }

  private static final SpaceOverrides NONE = new SpaceOverrides(Map.of());

  /** No overrides. */
  public static SpaceOverrides none() {
    return NONE;
  }

  /** The overrides stored in a study's attributes (none when absent or unreadable). */
  public static SpaceOverrides fromStudyAttrs(Map<String, Object> studyAttrs) {
    Object raw = studyAttrs.get(STUDY_ATTR);
    if (!(raw instanceof Map<?, ?> map)) {
      return none();
    }
    Map<String, SpaceOverride> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> o
          && o.get("low") instanceof Number low
          && o.get("high") instanceof Number high) {
        Map<String, Object> cause = new LinkedHashMap<>();
        if (o.get("cause") instanceof Map<?, ?> c) {
          c.forEach((k, v) -> cause.put(String.valueOf(k), v));
        }
        String param = String.valueOf(e.getKey());
        out.put(param, new SpaceOverride(param, low.doubleValue(), high.doubleValue(), cause));
      }
    }
    return new SpaceOverrides(out);
  }

  /** The override of {@code param}, if any. */
  public Optional<SpaceOverride> get(String param) {
    return Optional.ofNullable(byParam.get(param));
  }

  /** Whether there is none. */
  public boolean isEmpty() {
    return byParam.isEmpty();
  }

  /**
   * The distribution to draw {@code param} from: {@code distribution} narrowed by its override, or
   * {@code distribution} itself when there is none or it does not apply.
   */
  public Distribution narrow(String param, Distribution distribution) {
    SpaceOverride o = byParam.get(param);
    return o == null ? distribution : o.narrow(distribution).orElse(distribution);
  }

  /**
   * These overrides with {@code added} merged in: intersected with an existing override of the same
   * parameter (the newer cause is kept), or replacing it when they do not overlap.
   */
  public SpaceOverrides with(SpaceOverride added) {
    Map<String, SpaceOverride> out = new LinkedHashMap<>(byParam);
    SpaceOverride existing = out.get(added.param());
    SpaceOverride merged = added;
    if (existing != null) {
      double lo = Math.max(existing.low(), added.low());
      double hi = Math.min(existing.high(), added.high());
      if (lo < hi) {
        merged = new SpaceOverride(added.param(), lo, hi, added.cause());
      }
    }
    out.put(added.param(), merged);
    return new SpaceOverrides(out);
  }

  /**
   * Like {@link #with(SpaceOverride)}, then widened as little as needed to contain every value of
   * {@code keep} (the parameter's values in the study's best trial or Pareto front), so a narrowing
   * never excludes the configurations that are doing best.
   */
  public SpaceOverrides with(SpaceOverride added, Collection<Double> keep) {
    SpaceOverrides merged = with(added);
    SpaceOverride o = merged.byParam.get(added.param());
    double lo = o.low();
    double hi = o.high();
    for (Double v : keep) {
      if (v != null && Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo == o.low() && hi == o.high()) {
      return merged;
    }
    Map<String, SpaceOverride> out = new LinkedHashMap<>(merged.byParam);
    out.put(added.param(), new SpaceOverride(added.param(), lo, hi, o.cause()));
    return new SpaceOverrides(out);
  }

  /** The value stored under {@link #STUDY_ATTR}. */
  public Map<String, Object> toAttrValue() {
    Map<String, Object> out = new LinkedHashMap<>();
    byParam.forEach((k, v) -> out.put(k, v.toAttrValue()));
    return out;
  }
}
