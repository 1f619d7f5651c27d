package dev.knobflow.plugin.mlflow;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.stream.Collectors;

/**
 * One readable line per distribution, the study run's {@code space.<name>} params: {@code float
 * [0.001, 0.3] log}, {@code int [2, 12] step 2}, {@code categorical {gbtree, dart}}.
 */
final class SpaceText {

  private SpaceText() {}

  static String of(Distribution d) {
    if (d instanceof FloatDistribution f) {
      return "float ["
          + num(f.low())
          + ", "
          + num(f.high())
          + "]"
          + (f.log() ? " log" : "")
          + (f.step() > 0 ? " step " + num(f.step()) : "");
    }
    if (d instanceof IntDistribution i) {
      return "int ["
          + i.low()
          + ", "
          + i.high()
          + "]"
          + (i.log() ? " log" : "")
          + (i.step() > 1 ? " step " + i.step() : "");
    }
    if (d instanceof CategoricalDistribution c) {
      return "categorical {"
          + c.choices().stream().map(String::valueOf).collect(Collectors.joining(", "))
          + "}";
    }
    return String.valueOf(d);
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
