package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A narrowed range for a numeric parameter, applied to every later trial of a study whatever the
 * sampler (see {@link SpaceOverrides}).
 *
 * @param param the parameter's name
 * @param low the smallest value later trials may get
 * @param high the largest value later trials may get, greater than {@code low}
 * @param cause what asked for it (e.g. the advice: trial, step, diagnosis, summary), kept in
 *     storage with the override; values are plain JSON types
 */
public record SpaceOverride(String param, double low, double high, Map<String, Object> cause) {

  public SpaceOverride {
    if (param == null || param.isBlank()) {
      throw new IllegalArgumentException("space override: param must not be blank");
    }
    if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
      throw new IllegalArgumentException(
          "space override for '"
              + param
              + "': needs finite low < high, got ["
              + low
              + ", "
              + high
              + "]");
    }
    cause =
        cause == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cause));
  }

  /**
   * The part of {@code distribution} inside this range, or empty when the range does not apply (a
   * categorical parameter) or leaves nothing to sample (fewer than two grid points or integers).
   * Stepped ranges stay on the original grid, so every narrowed value is a valid original value.
   */
  public Optional<Distribution> narrow(Distribution distribution) {
    Objects.requireNonNull(distribution, "distribution");
    if (distribution instanceof FloatDistribution f) {
      double lo = Math.max(f.low(), low);
      double hi = Math.min(f.high(), high);
      if (f.hasStep()) {
        lo = f.low() + Math.ceil((lo - f.low()) / f.step() - 1e-9) * f.step();
        hi = f.low() + Math.floor((hi - f.low()) / f.step() + 1e-9) * f.step();
      }
      if (!(lo < hi)) {
        return Optional.empty();
      }
      return Optional.of(new FloatDistribution(lo, hi, f.log(), f.step()));
    }
    if (distribution instanceof IntDistribution i) {
      long lo = Math.max(i.low(), (long) Math.ceil(Math.max(low, Long.MIN_VALUE / 2.0)));
      long hi = Math.min(i.high(), (long) Math.floor(Math.min(high, Long.MAX_VALUE / 2.0)));
      lo = i.low() + Math.floorDiv(lo - i.low() + i.step() - 1, i.step()) * i.step();
      hi = i.low() + Math.floorDiv(hi - i.low(), i.step()) * i.step();
      if (lo >= hi) {
        return Optional.empty();
      }
      return Optional.of(new IntDistribution(lo, hi, i.log(), i.step()));
    }
    return Optional.empty();
  }

  /** The override as a plain map for storage: {@code {low, high, cause}}. */
  Map<String, Object> toAttrValue() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("low", low);
    out.put("high", high);
    out.put("cause", new LinkedHashMap<>(cause));
    return out;
  }
}
