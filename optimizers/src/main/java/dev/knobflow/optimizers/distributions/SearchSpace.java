package dev.knobflow.optimizers.distributions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A search space declared up front: parameter names, in declaration order, with their
 * distributions. Define-by-run studies need none; parameters suggested inside the objective join
 * the space as they appear.
 *
 * @param distributions the parameters in declaration order
 */
public record SearchSpace(Map<String, Distribution> distributions) {

  public SearchSpace {
    for (String name : distributions.keySet()) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("space: parameter names must not be blank");
      }
    }
    distributions = Collections.unmodifiableMap(new LinkedHashMap<>(distributions));
  }

  /** The empty space. */
  public static SearchSpace empty() {
    return new SearchSpace(Map.of());
  }

  /** A builder that keeps declaration order. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether no parameter is declared. */
  public boolean isEmpty() {
    return distributions.isEmpty();
  }

  /** Builds a {@link SearchSpace} in declaration order. */
  public static final class Builder {
    private final Map<String, Distribution> distributions = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a parameter; a name may be declared once. */
    public Builder add(String name, Distribution distribution) {
      if (distributions.putIfAbsent(name, distribution) != null) {
        throw new IllegalArgumentException("space." + name + ": declared twice");
      }
      return this;
    }

    /** A continuous uniform float. */
    public Builder floatParam(String name, double low, double high) {
      return add(name, at(name, () -> FloatDistribution.of(low, high)));
    }

    /** A float uniform in log space. */
    public Builder logFloatParam(String name, double low, double high) {
      return add(name, at(name, () -> FloatDistribution.logOf(low, high)));
    }

    /** Every integer in a range. */
    public Builder intParam(String name, long low, long high) {
      return add(name, at(name, () -> IntDistribution.of(low, high)));
    }

    /** One of the given choices. */
    public Builder categorical(String name, Object... choices) {
      return add(name, at(name, () -> CategoricalDistribution.of(choices)));
    }

    public SearchSpace build() {
      return new SearchSpace(distributions);
    }

    private static Distribution at(String name, java.util.function.Supplier<Distribution> factory) {
      try {
        return factory.get();
      } catch (InvalidDistributionException e) {
        throw e.withPath("space." + name);
      }
    }
  }
}
