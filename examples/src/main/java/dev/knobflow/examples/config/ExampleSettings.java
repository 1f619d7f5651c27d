package dev.knobflow.examples.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How an example's settings are named and read: system property {@code <propertyPrefix><name>},
 * else environment variable {@code <envPrefix><NAME>} (dashes as underscores); errors name both.
 *
 * @param label what the settings belong to, e.g. {@code "DJL example"}
 * @param propertyPrefix e.g. {@code "knobflow.djl."}
 * @param envPrefix e.g. {@code "KNOBFLOW_DJL_"}
 */
public record ExampleSettings(String label, String propertyPrefix, String envPrefix) {

  /** Throws an error naming the setting and what is allowed unless {@code ok}. */
  public void require(boolean ok, String name, String allowed, Object got) {
    if (!ok) {
      throw new IllegalArgumentException(describe(name) + " must be " + allowed + ", got " + got);
    }
  }

  /** The setting as errors name it: label, property and environment variable. */
  public String describe(String name) {
    return label
        + " setting '"
        + name
        + "' ("
        + propertyPrefix
        + name
        + " / "
        + envName(name)
        + ")";
  }

  private String envName(String name) {
    return envPrefix + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** This JVM's system properties as a map of strings. */
  public static Map<String, String> systemProperties() {
    Map<String, String> out = new java.util.HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      out.put(name, System.getProperty(name));
    }
    return out;
  }

  /** A reader over {@code properties}, then {@code env}; a property wins. */
  public Reader reader(Map<String, String> properties, Map<String, String> env) {
    return new Reader(this, properties, env);
  }

  /** Reads one setting from the properties, then the environment. */
  public record Reader(
      ExampleSettings settings, Map<String, String> properties, Map<String, String> env) {

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> get(String name) {
      String value = properties.get(settings.propertyPrefix() + name);
      if (value == null) {
        value = env.get(settings.envName(name));
      }
      return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The value as an int, or {@code fallback} when unset. */
    public int getInt(String name, int fallback) {
      return get(name)
          .map(v -> parse(name, v, "a whole number", Integer::parseInt))
          .orElse(fallback);
    }

    /** The value as a long, or {@code fallback} when unset. */
    public long getLong(String name, long fallback) {
      return get(name).map(v -> parse(name, v, "a whole number", Long::parseLong)).orElse(fallback);
    }

    /** The value as a double, or {@code fallback} when unset. */
    public double getDouble(String name, double fallback) {
      return get(name).map(v -> parse(name, v, "a number", Double::parseDouble)).orElse(fallback);
    }

    private <T> T parse(String name, String value, String expected, Function<String, T> parser) {
      try {
        return parser.apply(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            settings.describe(name) + " must be " + expected + ", got '" + value + "'", e);
      }
    }
  }
}
