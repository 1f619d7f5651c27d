package dev.knobflow.examples.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The examples' command lines: {@code --name value} or {@code --name=value} options, each at most
 * once known by name; errors name the option and end with the usage line. Shared by the XGBoost and
 * DJL tuning programs.
 */
public final class CommandLine {

  private final Map<String, String> values;

  private CommandLine(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args} against the known option names (with their dashes).
   *
   * @throws IllegalArgumentException naming the option when it is unknown or has no value
   */
  public static CommandLine parse(String[] args, Set<String> options, String usage) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value; " + usage);
        }
        value = args[++i];
      }
      if (!options.contains(name)) {
        throw new IllegalArgumentException("unknown option '" + name + "'; " + usage);
      }
      values.put(name, value);
    }
    return new CommandLine(values);
  }

  /**
   * Runs a program's {@code main}: prints {@code usage} for {@code --help} or {@code -h} and
   * returns empty; prints the error and exits with status 2 when {@code parse} rejects the
   * arguments; otherwise returns the parsed options.
   */
  public static <T> Optional<T> parseOrExit(
      String[] args, String usage, Function<String[], T> parse) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(usage);
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return Optional.empty();
    }
  }

  /** {@code names} and {@code more}: a program's option names. */
  public static Set<String> union(Set<String> names, String... more) {
    Set<String> out = new java.util.LinkedHashSet<>(names);
    out.addAll(java.util.List.of(more));
    return Set.copyOf(out);
  }

  /** The option's text, or {@code fallback}. */
  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The option as a path, or {@code fallback}. */
  public Path getPath(String name, Path fallback) {
    return values.containsKey(name) ? Path.of(values.get(name)) : fallback;
  }

  /** The option as an int, or {@code fallback}; an error names the option. */
  public int getInt(String name, int fallback) {
    return number(name, fallback, Integer::parseInt, "a whole number");
  }

  /** The option as a long, or {@code fallback}; an error names the option. */
  public long getLong(String name, long fallback) {
    return number(name, fallback, Long::parseLong, "a whole number");
  }

  /** The option as a double, or {@code fallback}; an error names the option. */
  public double getDouble(String name, double fallback) {
    return number(name, fallback, Double::parseDouble, "a number");
  }

  private <N> N number(String name, N fallback, Function<String, N> parse, String what) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return parse.apply(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + what + ", got '" + value + "'");
    }
  }
}
