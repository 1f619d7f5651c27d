package dev.knobflow.plugin.warmstart;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a past configuration into the current search space: numbers outside a range are clamped (and
 * snapped to a step grid), non-integral values of integer parameters are rounded, unknown
 * parameters and categorical values that are not choices are dropped. Every change is logged.
 */
final class SpaceFitter {

  private SpaceFitter() {}

  /**
   * The fitted parameters in the space's declaration order; empty when nothing fits. With an empty
   * (define-by-run) space the parameters pass unchanged.
   */
  static Map<String, Object> fit(
      Map<String, Object> params, SearchSpace space, String label, List<String> log) {
    if (space.isEmpty()) {
      return new LinkedHashMap<>(params);
    }
    Map<String, Object> fitted = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      if (!space.distributions().containsKey(e.getKey())) {
        log.add(
            label + ": skipped " + e.getKey() + "=" + e.getValue() + " (not in the search space)");
      }
    }
    List<String> leftForSampler = new ArrayList<>();
    for (Map.Entry<String, Distribution> e : space.distributions().entrySet()) {
      String name = e.getKey();
      Object value =
          params.containsKey(name)
              ? fitOne(name, params.get(name), e.getValue(), label, log)
              : null;
      if (value != null) {
        fitted.put(name, value);
      } else {
        leftForSampler.add(name);
      }
    }
    if (!leftForSampler.isEmpty() && !fitted.isEmpty()) {
      log.add(label + ": left for the sampler " + leftForSampler);
    }
    return fitted;
  }

  private static Object fitOne(
      String name, Object value, Distribution distribution, String label, List<String> log) {
    if (distribution instanceof CategoricalDistribution c) {
      if (c.contains(value)) {
        return c.choices().get(c.indexOf(value));
      }
      for (Object choice : c.choices()) {
        if (value != null && String.valueOf(choice).equals(value.toString().trim())) {
          return choice; // MLflow stores params as strings: "true", "3", "adam"
        }
      }
      log.add(
          label
              + ": skipped "
              + name
              + "="
              + value
              + " (not one of the choices "
              + c.choices()
              + ")");
      return null;
    }
    Double number = asNumber(value);
    if (number == null) {
      log.add(label + ": skipped " + name + "=" + value + " (not a number)");
      return null;
    }
    if (distribution instanceof FloatDistribution f) {
      if (f.contains(number)) {
        return number;
      }
      double v = Math.min(f.high(), Math.max(f.low(), number));
      if (f.hasStep()) {
        v = Math.min(f.high(), f.low() + Math.rint((v - f.low()) / f.step()) * f.step());
      }
      if (v != number) {
        log.add(label + ": clamped " + name + " " + value + " -> " + v + " " + range(f));
      }
      return v;
    }
    IntDistribution i = (IntDistribution) distribution;
    if (i.contains(number)) {
      return number.longValue();
    }
    double rounded = Math.rint(number);
    long v = (long) Math.min(i.high(), Math.max(i.low(), rounded));
    v = Math.min(i.high(), i.low() + Math.round((double) (v - i.low()) / i.step()) * i.step());
    if (v != number) {
      log.add(label + ": clamped " + name + " " + value + " -> " + v + " " + range(i));
    }
    return v;
  }

  private static String range(FloatDistribution f) {
    return "(range ["
        + f.low()
        + ", "
        + f.high()
        + "]"
        + (f.hasStep() ? " step " + f.step() : "")
        + ")";
  }

  private static String range(IntDistribution i) {
    return "(integer range ["
        + i.low()
        + ", "
        + i.high()
        + "]"
        + (i.step() > 1 ? " step " + i.step() : "")
        + ")";
  }

  private static Double asNumber(Object value) {
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        double d = Double.parseDouble(s.trim());
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
