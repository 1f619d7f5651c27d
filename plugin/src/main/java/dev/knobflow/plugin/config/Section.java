package dev.knobflow.plugin.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mapping in a study file at a known path, with typed getters that record a {@link Problem}
 * (naming the path and what is allowed) instead of throwing, so that every problem in a file is
 * reported at once. Values are the plain Java objects YAML parsing yields: maps, lists, strings,
 * numbers, booleans.
 */
public final class Section {
  private final String path;
  private final Map<String, Object> values;
  private final Problems problems;

  private Section(String path, Map<String, Object> values, Problems problems) {
    this.path = path;
    this.values = values;
    this.problems = problems;
  }

  /**
   * The mapping {@code value} at {@code path}; empty (with a problem recorded) if it is not a
   * mapping.
   */
  public static Optional<Section> of(Object value, String path, Problems problems) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return Optional.of(new Section(path, copy, problems));
    }
    problems.add(path, "must be a mapping (key: value lines), got " + describe(value));
    return Optional.empty();
  }

  /** This section's path, e.g. {@code space.eta}; empty for the file's top level. */
  public String path() {
    return path;
  }

  /** The path of a key in this section. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Where problems go. */
  public Problems problems() {
    return problems;
  }

  /** The keys present, in file order. */
  public List<String> keys() {
    return List.copyOf(values.keySet());
  }

  /** Whether {@code key} is present (even with a null value). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The raw value of {@code key}, or null. */
  public @Nullable Object raw(String key) {
    return values.get(key);
  }

  /** The keys and raw values, unmodifiable. */
  public Map<String, @Nullable Object> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** Records a problem at {@code key}. */
  public void problem(String key, String message) {
    problems.add(pathOf(key), message);
  }

  /**
   * Records a problem for every key not in {@code allowed}, suggesting the closest allowed key, so
   * that a typo such as {@code lgo} never passes silently.
   */
  public void allowOnly(Collection<String> allowed) {
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        String hint = Suggestions.hint(key, allowed);
        problems.add(
            pathOf(key), "unknown key" + hint + " (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** Records a problem if {@code key} is absent; returns whether it is present. */
  public boolean require(String key, String what) {
    if (values.get(key) == null) {
      problems.add(pathOf(key), "missing; " + what);
      return false;
    }
    return true;
  }

  /** A string (numbers and booleans are taken as their text). */
  public Optional<String> string(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return Optional.of(String.valueOf(v));
    }
    problem(key, "must be a single value (text), got " + describe(v));
    return Optional.empty();
  }

  /** A number; numeric text such as {@code 1e-3} is accepted too. */
  public Optional<Double> number(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    Optional<Double> parsed = asNumber(v);
    if (parsed.isEmpty()) {
      problem(key, "must be a number, got " + describe(v));
    }
    return parsed;
  }

  /** A whole number. */
  public Optional<Long> integer(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Integer || v instanceof Long) {
      return Optional.of(((Number) v).longValue()); // exact, to +/-(2^63 - 1)
    }
    if (v instanceof java.math.BigInteger) {
      problem(key, "must be between -2^63 and 2^63-1, got " + describe(v));
      return Optional.empty();
    }
    Optional<Double> parsed = asNumber(v);
    if (parsed.isEmpty() || parsed.get() != Math.rint(parsed.get())) {
      problem(key, "must be a whole number, got " + describe(v));
      return Optional.empty();
    }
    if (Math.abs(parsed.get()) > 9.0e15) {
      problem(
          key,
          "is too large to be exact as written ("
              + describe(v)
              + "); write whole numbers beyond 9e15 out in digits, e.g. 9223372036854775807");
      return Optional.empty();
    }
    return v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)
        ? Optional.of(n.longValue())
        : Optional.of(parsed.get().longValue());
  }

  /** A whole number of at least {@code min}. */
  public Optional<Long> integerAtLeast(String key, long min) {
    Optional<Long> v = integer(key);
    if (v.isPresent() && v.get() < min) {
      problem(key, "must be at least " + min + ", got " + v.get());
      return Optional.empty();
    }
    return v;
  }

  /** {@code true} or {@code false}. */
  public Optional<Boolean> bool(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean b) {
      return Optional.of(b);
    }
    problem(key, "must be true or false, got " + describe(v));
    return Optional.empty();
  }

  /** A positive duration such as {@code 10m}; see {@link Durations}. */
  public Optional<Duration> duration(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      String hint = v instanceof Number ? " (add a unit)" : "";
      problem(key, "must be " + Durations.FORMS + ", got " + describe(v) + hint);
      return Optional.empty();
    }
    try {
      Duration d = Durations.parse(s);
      if (d.isZero()) {
        problem(key, "must be longer than zero, got '" + s + "'");
        return Optional.empty();
      }
      return Optional.of(d);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return Optional.empty();
    }
  }

  /** A list. */
  public Optional<List<Object>> list(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof List<?> l) {
      return Optional.of(new ArrayList<>(l));
    }
    problem(key, "must be a list, e.g. [a, b], got " + describe(v));
    return Optional.empty();
  }

  /** A nested mapping. */
  public Optional<Section> section(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    return of(v, pathOf(key), problems);
  }

  /** A number from a raw YAML value, accepting numeric text such as {@code 1e-3}. */
  static Optional<Double> asNumber(Object v) {
    if (v instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    if (v instanceof String s) {
      try {
        double d = Double.parseDouble(s.trim());
        return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A short description of a raw value for messages: {@code 'abc'}, {@code a list}, ... */
  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof Map<?, ?>) {
      return "a mapping";
    }
    return String.valueOf(v);
  }
}
