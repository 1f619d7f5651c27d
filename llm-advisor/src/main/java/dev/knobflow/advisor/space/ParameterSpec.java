package dev.knobflow.advisor.space;

/**
 * What the advisor knows about one declared parameter: its name and domain. The engine's
 * distributions are mapped onto these by the caller.
 */
public sealed interface ParameterSpec
    permits ParameterSpec.FloatParameter,
        ParameterSpec.IntParameter,
        ParameterSpec.CategoricalParameter {

  /**
   * @return the parameter name as declared in the study
   */
  String name();

  /**
   * A real-valued parameter in {@code [low, high]}, sampled uniformly or on a log scale.
   *
   * @param name parameter name
   * @param low lower bound (positive when {@code log})
   * @param high upper bound, greater than {@code low}
   * @param log whether sampled on a log scale
   */
  record FloatParameter(String name, double low, double high, boolean log)
      implements ParameterSpec {
    /** Validates the bounds. */
    public FloatParameter {
      requireName(name);
      requireBounds(name, low, high, log);
    }
  }

  /**
   * An integer parameter in {@code [low, high]}.
   *
   * @param name parameter name
   * @param low lower bound (positive when {@code log})
   * @param high upper bound, greater than {@code low}
   * @param log whether sampled on a log scale
   */
  record IntParameter(String name, long low, long high, boolean log) implements ParameterSpec {
    /** Validates the bounds. */
    public IntParameter {
      requireName(name);
      requireBounds(name, low, high, log);
    }
  }

  /**
   * A categorical parameter; choices are given in their string form.
   *
   * @param name parameter name
   * @param choices the declared choices, at least one, no duplicates
   */
  record CategoricalParameter(String name, java.util.List<String> choices)
      implements ParameterSpec {
    /** Validates and copies the choices. */
    public CategoricalParameter {
      requireName(name);
      if (choices == null || choices.isEmpty()) {
        throw new IllegalArgumentException(
            "categorical parameter '" + name + "' needs at least one choice");
      }
      choices = java.util.List.copyOf(choices);
      if (new java.util.HashSet<>(choices).size() != choices.size()) {
        throw new IllegalArgumentException(
            "categorical parameter '" + name + "' has duplicate choices: " + choices);
      }
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parameter name must be a non-blank string");
    }
  }

  private static void requireBounds(String name, double low, double high, boolean log) {
    if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' needs finite bounds with low < high; got ["
              + low
              + ", "
              + high
              + "]");
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' is log-scaled, so low must be > 0; got " + low);
    }
  }
}
