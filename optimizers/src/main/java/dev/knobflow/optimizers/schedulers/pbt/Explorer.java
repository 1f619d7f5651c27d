package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PBT's explore step: a copied configuration is perturbed parameter by parameter.
 *
 * <p>A numeric parameter is, with the resample probability, drawn afresh from its distribution
 * (log-uniform on a log scale); otherwise it is multiplied by the down or the up factor (a fair
 * coin decides), clipped to its bounds and put back on its step grid. An integer that rounding
 * would leave unchanged moves one step in the chosen direction, so a perturbation always moves
 * unless a bound stops it. A categorical parameter is, with the resample probability, drawn afresh
 * from its choices; otherwise it keeps its value (its choices have no order to perturb along).
 */
final class Explorer {

  private final PbtSettings settings;

  Explorer(PbtSettings settings) {
    this.settings = settings;
  }

  /**
   * The explored copy of {@code params}; parameters without a distribution are kept as they are.
   */
  Map<String, Object> explore(
      Map<String, Object> params, Map<String, Distribution> distributions, SplittableRandom rng) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Distribution d = distributions.get(e.getKey());
      out.put(e.getKey(), d == null ? e.getValue() : explore(e.getValue(), d, rng));
    }
    return out;
  }

  private Object explore(Object value, Distribution d, SplittableRandom rng) {
    boolean resample = rng.nextDouble() < settings.resampleProbability();
    boolean up = rng.nextBoolean();
    if (resample) {
      return d.fromUnit(rng.nextDouble());
    }
    if (d instanceof CategoricalDistribution) {
      return value;
    }
    double factor = up ? settings.perturbUp() : settings.perturbDown();
    if (d instanceof FloatDistribution f) {
      double v = ((Number) value).doubleValue() * factor;
      v = Math.min(f.high(), Math.max(f.low(), v));
      if (f.hasStep()) {
        long k = Math.round((v - f.low()) / f.step());
        v = Math.min(f.high(), f.low() + k * f.step());
      }
      return v;
    }
    IntDistribution i = (IntDistribution) d;
    long current = ((Number) value).longValue();
    double scaled = current * factor;
    long k = Math.round((scaled - i.low()) / i.step());
    long v = i.low() + k * i.step();
    if (v == current) {
      v = up ? current + i.step() : current - i.step();
    }
    return Math.min(i.high(), Math.max(i.low(), v));
  }
}
