package dev.knobflow.optimizers.samplers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Full-factorial grid search. Every grid point is evaluated once; the study stops when the grid is
 * exhausted.
 *
 * <p>Trial {@code n} takes the {@code n}-th point of the (optionally seeded, shuffled) grid order,
 * so parallel workers, whose trial numbers are unique, never take the same point. Only when a trial
 * number was spent elsewhere (an enqueued trial) does a trial fall back to the first point that no
 * trial has taken or is about to take.
 */
public final class GridSampler implements Sampler {

  /** The system attribute that records a trial's grid index. */
  public static final String GRID_INDEX_ATTR = "grid_index";

  private final List<String> names;
  private final List<List<Object>> values;
  private final int[] order;

  private GridSampler(Map<String, List<Object>> grid, @Nullable Long seed) {
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("grid: declare at least one parameter");
    }
    Map<String, List<Object>> sorted = new TreeMap<>(grid);
    this.names = List.copyOf(sorted.keySet());
    this.values = new ArrayList<>();
    long size = 1;
    for (Map.Entry<String, List<Object>> e : sorted.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("grid." + e.getKey() + ": list at least one value");
      }
      values.add(List.copyOf(e.getValue()));
      size *= e.getValue().size();
      if (size > 50_000_000L) {
        throw new IllegalArgumentException(
            "grid: more than 50,000,000 points; use random or sobol sampling for a space this"
                + " large");
      }
    }
    this.order = new int[(int) size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (seed != null) {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    }
  }

  /** A grid over explicit values per parameter, visited in lexicographic order. */
  public static GridSampler of(Map<String, List<Object>> grid) {
    return new GridSampler(grid, null);
  }

  /** A grid over explicit values per parameter, visited in an order shuffled by {@code seed}. */
  public static GridSampler shuffled(Map<String, List<Object>> grid, long seed) {
    return new GridSampler(grid, seed);
  }

  /**
   * The grid of a declared space: every choice of categoricals, every value of int ranges and every
   * step of stepped float ranges. A continuous float range has no grid and is an error.
   */
  public static Map<String, List<Object>> gridOf(SearchSpace space) {
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> e : space.distributions().entrySet()) {
      Distribution d = e.getValue();
      if (d instanceof FloatDistribution f && !f.hasStep()) {
        throw new IllegalArgumentException(
            "space."
                + e.getKey()
                + ": the grid sampler needs a step for float parameters (or list the values in"
                + " sampler.values."
                + e.getKey()
                + ")");
      }
      if (d.size() > 100_000) {
        throw new IllegalArgumentException(
            "space." + e.getKey() + ": " + d.size() + " values is too many for a grid");
      }
      List<Object> points = new ArrayList<>();
      if (d instanceof CategoricalDistribution c) {
        points.addAll(c.choices());
      } else {
        long n = d.size();
        for (long k = 0; k < n; k++) {
          points.add(d.fromUnit((k + 0.5) / n));
        }
      }
      grid.put(e.getKey(), points);
    }
    return grid;
  }

  /** The number of grid points. */
  public int size() {
    return order.length;
  }

  /** The parameter values of grid point {@code index}. */
  public Map<String, Object> point(int index) {
    Map<String, Object> point = new LinkedHashMap<>();
    int rest = index;
    for (int i = names.size() - 1; i >= 0; i--) {
      List<Object> options = values.get(i);
      point.put(names.get(i), options.get(rest % options.size()));
      rest /= options.size();
    }
    return point;
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    BitSet taken = new BitSet(order.length);
    Set<Integer> pendingNumbers = new HashSet<>();
    for (FrozenTrial t : study.trials()) {
      if (t.number() == trial.number()) {
        continue;
      }
      Object index = t.systemAttrs().get(GRID_INDEX_ATTR);
      if (index instanceof Number n) {
        taken.set(n.intValue());
      } else if (t.state() == TrialState.RUNNING && t.number() < order.length) {
        pendingNumbers.add(t.number());
      }
    }
    int n = trial.number();
    if (n < order.length && !taken.get(order[n])) {
      return RelativeSample.attributesOnly(Map.of(GRID_INDEX_ATTR, order[n]));
    }
    for (int position = 0; position < order.length; position++) {
      if (!taken.get(order[position]) && !pendingNumbers.contains(position)) {
        return RelativeSample.attributesOnly(Map.of(GRID_INDEX_ATTR, order[position]));
      }
    }
    throw new SamplerExhaustedException(
        "grid exhausted: all " + order.length + " points are taken");
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    Object index = trial.systemAttrs().get(GRID_INDEX_ATTR);
    int position = names.indexOf(name);
    if (!(index instanceof Number n) || position < 0) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' is not part of the grid " + names);
    }
    Object value = point(n.intValue()).get(name);
    if (!distribution.contains(value)) {
      throw new IllegalArgumentException(
          "grid value " + value + " of '" + name + "' is outside its distribution " + distribution);
    }
    return value;
  }

  @Override
  public boolean isExhausted(StudyView study) {
    BitSet taken = new BitSet(order.length);
    for (FrozenTrial t : study.trials()) {
      Object index = t.systemAttrs().get(GRID_INDEX_ATTR);
      if (index instanceof Number n) {
        taken.set(n.intValue());
      } else if (t.state() == TrialState.RUNNING && t.number() < order.length) {
        taken.set(order[t.number()]);
      }
    }
    return taken.cardinality() >= order.length;
  }

  @Override
  public String describe() {
    return "grid(" + order.length + " points over " + names + ")";
  }
}
