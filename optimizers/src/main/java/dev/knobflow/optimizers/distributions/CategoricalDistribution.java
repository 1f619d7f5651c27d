package dev.knobflow.optimizers.distributions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One of a fixed list of choices: strings, numbers or booleans. Numbers are normalised to {@code
 * Long} when integral and {@code Double} otherwise, so {@code 3} and {@code 3L} are the same
 * choice.
 *
 * @param choices the allowed values, at least one, without duplicates
 */
public record CategoricalDistribution(List<Object> choices) implements Distribution {

  public CategoricalDistribution {
    if (choices == null || choices.isEmpty()) {
      throw new InvalidDistributionException("choices", "must list at least one value");
    }
    List<Object> normalised = new ArrayList<>(choices.size());
    Set<Object> seen = new HashSet<>();
    for (Object choice : choices) {
      Object value = normalise(choice);
      if (value == null) {
        throw new InvalidDistributionException(
            "choices",
            "must hold strings, numbers or booleans, got "
                + (choice == null ? "null" : choice.getClass().getSimpleName()));
      }
      if (!seen.add(value)) {
        throw new InvalidDistributionException("choices", "must not repeat a value: " + value);
      }
      normalised.add(value);
    }
    choices = List.copyOf(normalised);
  }

  /** A categorical distribution over the given choices. */
  public static CategoricalDistribution of(Object... choices) {
    return new CategoricalDistribution(List.of(choices));
  }

  /** A categorical distribution over the given choices. */
  public static CategoricalDistribution of(List<?> choices) {
    return new CategoricalDistribution(new ArrayList<>(choices));
  }

  /** The canonical form of a choice, or {@code null} if the type is not allowed. */
  public static @Nullable Object normalise(@Nullable Object value) {
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        return null;
      }
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return n.longValue();
      }
      return d;
    }
    return null;
  }

  /** The position of {@code value} in the choices, or {@code -1}. */
  public int indexOf(Object value) {
    Object normalised = normalise(value);
    return normalised == null ? -1 : choices.indexOf(normalised);
  }

  @Override
  public boolean contains(Object value) {
    return indexOf(value) >= 0;
  }

  @Override
  public double toInternal(Object value) {
    int index = indexOf(value);
    if (index < 0) {
      throw new IllegalArgumentException("not one of the choices " + choices + ": " + value);
    }
    return index;
  }

  @Override
  public Object toExternal(double internal) {
    return choices.get((int) Math.round(internal));
  }

  @Override
  public Object fromUnit(double u) {
    int n = choices.size();
    return choices.get(Math.min(n - 1, (int) Math.floor(Distribution.clampUnit(u) * n)));
  }

  @Override
  public double toUnit(Object value) {
    return (toInternal(value) + 0.5) / choices.size();
  }

  @Override
  public long size() {
    return choices.size();
  }

  @Override
  public String typeName() {
    return "categorical";
  }
}
