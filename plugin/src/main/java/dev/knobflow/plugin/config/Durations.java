package dev.knobflow.plugin.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the way people write them: {@code 500ms}, {@code 90s}, {@code 10m},
 * {@code 1h30m}, {@code 2d}, {@code 1.5h}. Units: {@code ms}, {@code s}, {@code m}, {@code h},
 * {@code d}; parts are added up.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /** What the accepted forms look like, for error messages. */
  public static final String FORMS = "a duration such as 500ms, 90s, 10m, 1h30m or 2d";

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the accepted forms if {@code text} is not one
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("must be " + FORMS + ", got an empty value");
    }
    Matcher m = PART.matcher(t);
    int at = 0;
    double millis = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        String hint = t.chars().allMatch(Character::isDigit) ? " (add a unit)" : "";
        throw new IllegalArgumentException("must be " + FORMS + ", got '" + text + "'" + hint);
      }
      double amount = Double.parseDouble(m.group(1));
      millis +=
          amount
              * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
              };
      at = m.end();
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** A short form such as {@code 1h30m}, {@code 90s} or {@code 500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long h = ms / 3_600_000;
    long m = ms % 3_600_000 / 60_000;
    long s = ms % 60_000 / 1000;
    long rest = ms % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0 || rest > 0) {
      sb.append(
          rest > 0 && h == 0 && m == 0
              ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0)
              : s + "s");
    }
    return sb.toString();
  }
}
