package dev.knobflow.optimizers.samplers.cmaes;

import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric parameters CMA-ES searches, as axes of the unit cube through {@link
 * Distribution#toUnit}/{@link Distribution#fromUnit} (log scales are searched in log space).
 * Integer and stepped parameters are discrete axes: the cells {@code fromUnit} maps to each value,
 * which the {@link Margin} works on.
 */
final class UnitLayout {

  private final List<String> names;
  private final List<Distribution> distributions;
  private final double[][] boundaries;

  private UnitLayout(Map<String, Distribution> space) {
    this.names = List.copyOf(space.keySet());
    this.distributions = List.copyOf(space.values());
    this.boundaries = new double[names.size()][];
    for (int i = 0; i < names.size(); i++) {
      boundaries[i] = cells(distributions.get(i));
    }
  }

  /** The layout of a space of float and int distributions, in the space's order. */
  static UnitLayout of(Map<String, Distribution> space) {
    return new UnitLayout(space);
  }

  int dimension() {
    return names.size();
  }

  List<String> names() {
    return names;
  }

  /** The space, in axis order. */
  Map<String, Distribution> space() {
    Map<String, Distribution> space = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      space.put(names.get(i), distributions.get(i));
    }
    return space;
  }

  /** A margin over this layout's discrete axes; {@code alpha <= 0} only rounds them. */
  Margin margin(double alpha) {
    return new Margin(boundaries, alpha);
  }

  /** Whether any axis is discrete. */
  boolean hasDiscrete() {
    for (double[] b : boundaries) {
      if (b != null) {
        return true;
      }
    }
    return false;
  }

  /** The parameter values of an encoded point. */
  Map<String, Object> decode(double[] encoded) {
    Map<String, Object> params = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      params.put(names.get(i), distributions.get(i).fromUnit(encoded[i]));
    }
    return params;
  }

  /** The unit coordinates of a trial's values, or null when one is missing or out of its range. */
  double[] encode(Map<String, Object> params) {
    double[] x = new double[names.size()];
    for (int i = 0; i < x.length; i++) {
      Object v = params.get(names.get(i));
      if (v == null || !distributions.get(i).contains(v)) {
        return null;
      }
      x[i] = distributions.get(i).toUnit(v);
    }
    return x;
  }

  /**
   * The raw vector to learn from for a trial sampled as {@code raw} that was evaluated at {@code
   * params}: each axis keeps its raw coordinate when the value there is the one {@code encoded}
   * stands for, and takes the value's unit position when it was overridden (an enqueued value).
   */
  double[] reconcile(double[] raw, double[] encoded, Map<String, Object> params) {
    double[] x = raw.clone();
    for (int i = 0; i < x.length; i++) {
      Object v = params.get(names.get(i));
      Distribution d = distributions.get(i);
      if (v != null && d.contains(v) && !same(d.fromUnit(encoded[i]), v)) {
        x[i] = d.toUnit(v);
      }
    }
    return x;
  }

  private static boolean same(Object a, Object b) {
    return a instanceof Number x && b instanceof Number y
        ? x.doubleValue() == y.doubleValue()
        : a.equals(b);
  }

  /** A fingerprint of the names and distributions, to key memoised states. */
  String signature() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + "=" + distributions.get(i));
    }
    return String.join(";", parts);
  }

  /** The cell boundaries of a discrete distribution on the unit interval, or null. */
  private static double[] cells(Distribution d) {
    if (d instanceof IntDistribution i) {
      int n = (int) Math.min(Integer.MAX_VALUE - 1, i.size());
      double[] b = new double[n + 1];
      if (i.log()) {
        double lo = Math.log(i.low() - 0.5);
        double hi = Math.log(i.high() + 0.5);
        for (int k = 0; k <= n; k++) {
          b[k] = (Math.log(i.low() + k - 0.5) - lo) / (hi - lo);
        }
      } else {
        for (int k = 0; k <= n; k++) {
          b[k] = (double) k / n;
        }
      }
      b[0] = 0;
      b[n] = 1;
      return b;
    }
    if (d instanceof FloatDistribution f && f.hasStep()) {
      int n = (int) f.size();
      double[] b = new double[n + 1];
      for (int k = 0; k <= n; k++) {
        b[k] = (double) k / n;
      }
      return b;
    }
    return null;
  }
}
