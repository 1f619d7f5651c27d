package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keeps a model-based sampler from proposing a configuration the study already has (evaluated,
 * running or queued): the one place that decides what counts as the same configuration and what to
 * propose instead. The study applies it to every trial a {@link Sampler#modelBased() model-based}
 * sampler proposes, unless the objective is declared noisy.
 *
 * <p><b>Same configuration</b>: the same parameter names, and for each parameter the same value
 * after rounding to its grid: integers and stepped floats by grid index, categoricals by choice,
 * continuous floats to a billionth of their range, in log space for log ranges (a model proposes
 * the same float again when it clips to a bound, as in the XGBoost run of issue 18 where one corner
 * of the box was evaluated 7 times).
 *
 * <p><b>Instead</b>: a local perturbation of the proposal, so the trial stays where the model
 * wanted it: up to {@value #MAX_TRIES} tries, each moving one randomly chosen parameter (more after
 * every 16 tries) to a neighbouring grid point or choice, or a continuous one by a Gaussian step in
 * its unit (log-aware) scale, reflected at the bounds, growing with the tries. The random stream is
 * seeded from the study seed and trial number, so a seeded study stays reproducible, and a proposal
 * that repeats nothing is returned unchanged. If every try repeats and the space is finite and
 * small ({@value #ENUMERATION_LIMIT} configurations at most), a configuration nobody has taken is
 * picked at random; if the finite space is all taken, {@link #exhausted} says so and the study
 * stops. Otherwise (practically unreachable) the repeat is kept and the trial records why as {@link
 * #REPEAT_KEPT_ATTR}.
 */
public final class RepeatGuard {

  /** System attribute: the number of the trial the sampler's proposal would have repeated. */
  public static final String REPEAT_AVOIDED_ATTR = "repeat_avoided";

  /** System attribute: why a repeated configuration was kept (no other one was found). */
  public static final String REPEAT_KEPT_ATTR = "repeat_kept";

  /** Perturbation tries before the fallbacks. */
  public static final int MAX_TRIES = 64;

  /** The largest finite space searched exhaustively for an untaken configuration. */
  public static final long ENUMERATION_LIMIT = 1_000_000L;

  /** Continuous values closer than {@code 1 / CONTINUOUS_GRID} of their range count as equal. */
  private static final double CONTINUOUS_GRID = 1e9;

  private RepeatGuard() {}

  /**
   * What to run instead of a proposal.
   *
   * @param params the configuration: the proposal itself when it repeats nothing
   * @param attributes system attributes to store on the trial ({@link #REPEAT_AVOIDED_ATTR} or
   *     {@link #REPEAT_KEPT_ATTR}); empty when the proposal repeats nothing
   */
  public record Decision(Map<String, Object> params, Map<String, Object> attributes) {
    public Decision {
      params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * The configuration to run for {@code proposal}.
   *
   * @param proposal a value for every parameter of {@code space}
   * @param space the distributions the values must stay in (after any range narrowing)
   * @param others the other trials' parameters by trial number: every state, running and queued
   *     ones included
   * @param seed the seed of the replacement's random stream (derive it from the study seed and
   *     trial number)
   */
  public static Decision avoid(
      Map<String, Object> proposal,
      Map<String, Distribution> space,
      Map<Integer, Map<String, Object>> others,
      long seed) {
    Map<List<Object>, Integer> taken = taken(space, others.entrySet());
    Integer repeated = taken.get(identity(space, proposal));
    if (repeated == null) {
      return new Decision(proposal, Map.of());
    }
    Map<String, Object> avoided = Map.of(REPEAT_AVOIDED_ATTR, repeated);
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> names = new ArrayList<>(space.keySet());
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      Map<String, Object> candidate = new LinkedHashMap<>(proposal);
      int moves = Math.min(names.size(), 1 + attempt / 16);
      List<String> pool = new ArrayList<>(names);
      for (int m = 0; m < moves; m++) {
        String name = pool.remove(rng.nextInt(pool.size()));
        Distribution d = space.get(name);
        candidate.put(name, neighbour(d, candidate.get(name), attempt, rng));
      }
      if (!taken.containsKey(identity(space, candidate))) {
        return new Decision(candidate, avoided);
      }
    }
    long size = size(space);
    if (size > 0 && size <= ENUMERATION_LIMIT) {
      long start = rng.nextLong(size);
      for (long k = 0; k < size; k++) {
        Map<String, Object> candidate = configuration(space, (start + k) % size);
        if (!taken.containsKey(identity(space, candidate))) {
          return new Decision(candidate, avoided);
        }
      }
    }
    return new Decision(
        proposal,
        Map.of(
            REPEAT_KEPT_ATTR,
            "repeats trial "
                + repeated
                + "; no untaken configuration found in "
                + MAX_TRIES
                + " perturbations"));
  }

  /**
   * Whether every configuration of a finite {@code space} is taken by {@code others}; always false
   * for a space with a continuous parameter.
   */
  public static boolean exhausted(
      Map<String, Distribution> space, Map<Integer, Map<String, Object>> others) {
    long size = size(space);
    return size > 0 && taken(space, others.entrySet()).size() >= size;
  }

  /** How many configurations {@code space} has, or {@code -1} when it is continuous or huge. */
  public static long size(Map<String, Distribution> space) {
    long size = 1;
    for (Distribution d : space.values()) {
      long n = d.size();
      if (n <= 0) {
        return -1;
      }
      if (size > Long.MAX_VALUE / n) {
        return -1;
      }
      size *= n;
    }
    return space.isEmpty() ? -1 : size;
  }

  private static Map<List<Object>, Integer> taken(
      Map<String, Distribution> space, Iterable<Map.Entry<Integer, Map<String, Object>>> others) {
    Map<List<Object>, Integer> taken = new HashMap<>();
    for (Map.Entry<Integer, Map<String, Object>> e : others) {
      Map<String, Object> params = e.getValue();
      // A trial with other parameters (a conditional branch) is another configuration.
      if (!params.keySet().equals(space.keySet())) {
        continue;
      }
      List<Object> id = identity(space, params);
      if (id != null) {
        taken.merge(id, e.getKey(), Math::min);
      }
    }
    return taken;
  }

  /** The configuration's identity: one key per parameter, or null if a value is outside. */
  private static List<Object> identity(
      Map<String, Distribution> space, Map<String, Object> params) {
    List<Object> id = new ArrayList<>(space.size());
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      Object value = params.get(e.getKey());
      Distribution d = e.getValue();
      if (value == null || !d.contains(value)) {
        return null;
      }
      // Continuous values are rounded to a billionth of their (log-aware) range: a model that
      // clips to a bound may land a rounding error away from it.
      id.add(d.size() > 0 ? index(d, value) : Math.round(d.toUnit(value) * CONTINUOUS_GRID));
    }
    return id;
  }

  /** The grid index (or choice index) of {@code value} in a finite distribution. */
  private static long index(Distribution d, Object value) {
    if (d instanceof IntDistribution i) {
      return (((Number) value).longValue() - i.low()) / i.step();
    }
    if (d instanceof FloatDistribution f) {
      return Math.round((((Number) value).doubleValue() - f.low()) / f.step());
    }
    return ((CategoricalDistribution) d).indexOf(value);
  }

  private static Object valueAt(Distribution d, long index) {
    Object value;
    if (d instanceof IntDistribution i) {
      value = i.low() + index * i.step();
    } else if (d instanceof FloatDistribution f) {
      value = Math.min(f.high(), f.low() + index * f.step());
    } else {
      value = ((CategoricalDistribution) d).choices().get((int) index);
    }
    return DistributionJson.canonicalValue(d, value);
  }

  private static Map<String, Object> configuration(Map<String, Distribution> space, long k) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      long n = e.getValue().size();
      config.put(e.getKey(), valueAt(e.getValue(), k % n));
      k /= n;
    }
    return config;
  }

  private static Object neighbour(Distribution d, Object value, int attempt, SplittableRandom rng) {
    long n = d.size();
    if (n == 1) {
      return value;
    }
    if (d instanceof CategoricalDistribution) {
      long i = index(d, value);
      return valueAt(d, (i + 1 + rng.nextLong(n - 1)) % n);
    }
    if (n > 0) {
      long i = index(d, value);
      long delta = 1 + rng.nextInt(1 + attempt / 4);
      long j = rng.nextBoolean() ? i + delta : i - delta;
      if (j < 0 || j >= n) {
        j = j < 0 ? i + delta : i - delta;
      }
      return valueAt(d, Math.max(0, Math.min(n - 1, j)));
    }
    double u = d.toUnit(value) + 0.01 * (1 + attempt) * rng.nextGaussian();
    u = u > 1 ? 2 - u : u < 0 ? -u : u;
    return DistributionJson.canonicalValue(d, d.fromUnit(u));
  }
}
