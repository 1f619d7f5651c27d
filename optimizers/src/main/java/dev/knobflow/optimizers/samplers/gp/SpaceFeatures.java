package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import dev.knobflow.optimizers.samplers.parzen.UnitEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GP's inputs for a search space: one feature per numeric parameter (its log-aware unit
 * position, rounded to the centre of its cell for ints and stepped floats) and a one-hot block per
 * categorical parameter. Points are first given as parameter coordinates (unit values, choice
 * indices), as {@link dev.knobflow.optimizers.samplers.parzen.UnitEncoding} produces.
 */
final class SpaceFeatures {

  final List<String> names;
  final List<Distribution> distributions;
  final List<ParzenDimension> dimensions;
  final int featureCount;
  private final int[] offset;

  SpaceFeatures(Map<String, Distribution> space) {
    names = new ArrayList<>(space.keySet());
    distributions = new ArrayList<>(space.values());
    dimensions = new ArrayList<>();
    offset = new int[names.size()];
    int f = 0;
    for (int i = 0; i < names.size(); i++) {
      Distribution d = distributions.get(i);
      dimensions.add(ParzenDimension.of(d));
      offset[i] = f;
      f += d instanceof CategoricalDistribution c ? c.choices().size() : 1;
    }
    featureCount = f;
  }

  int parameterCount() {
    return names.size();
  }

  /** The index of a parameter's (first) feature. */
  int featureIndex(int parameter) {
    return offset[parameter];
  }

  boolean hasCategorical() {
    return dimensions.stream().anyMatch(ParzenDimension::categorical);
  }

  /** Rounds parameter coordinates in place to representable values. */
  void snap(double[] coords) {
    for (int i = 0; i < coords.length; i++) {
      ParzenDimension dim = dimensions.get(i);
      if (dim.categorical()) {
        coords[i] = Math.min(dim.cells() - 1, Math.max(0, Math.round(coords[i])));
      } else {
        coords[i] = dim.snap(coords[i]);
      }
    }
  }

  double[] features(double[] coords) {
    double[] f = new double[featureCount];
    for (int i = 0; i < coords.length; i++) {
      ParzenDimension dim = dimensions.get(i);
      if (dim.categorical()) {
        f[offset[i] + (int) Math.round(coords[i])] = 1.0;
      } else {
        f[offset[i]] = dim.snap(coords[i]);
      }
    }
    return f;
  }

  /** The parameter coordinates of trial {@code t} (unit values, choice indices), snapped. */
  double[] coordinates(FrozenTrial t) {
    double[] c = new double[parameterCount()];
    for (int j = 0; j < c.length; j++) {
      c[j] = UnitEncoding.encode(distributions.get(j), t.params().get(names.get(j)));
    }
    snap(c);
    return c;
  }
}
