package dev.knobflow.plugin.objective;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command-line argument with {@code {name}} placeholders, e.g. {@code --eta={eta}}. A name is a
 * letter or underscore followed by letters, digits, {@code _}, {@code .} or {@code -}; anything
 * else in braces (such as JSON) is left alone, and {@code {{} / {@code }}} write literal braces.
 */
public final class ArgumentTemplate {
  private static final Pattern TOKEN =
      Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_.\\-]*)}");

  private final String text;
  private final Set<String> placeholders;

  private ArgumentTemplate(String text) {
    this.text = text;
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (m.group(1) != null) {
        names.add(m.group(1));
      }
    }
    this.placeholders = Set.copyOf(names);
  }

  /** The template of one argument. */
  public static ArgumentTemplate of(String text) {
    return new ArgumentTemplate(text);
  }

  /** Templates for a whole argument vector. */
  public static List<ArgumentTemplate> ofAll(List<String> argv) {
    List<ArgumentTemplate> out = new ArrayList<>(argv.size());
    for (String a : argv) {
      out.add(of(a));
    }
    return List.copyOf(out);
  }

  /** The placeholder names used. */
  public Set<String> placeholders() {
    return placeholders;
  }

  /**
   * The argument with every placeholder filled in.
   *
   * @throws IllegalArgumentException if a placeholder has no value
   */
  public String fill(Map<String, ?> values) {
    Matcher m = TOKEN.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = m.group().substring(0, 1);
      } else {
        if (!values.containsKey(m.group(1))) {
          throw new IllegalArgumentException(
              "placeholder {" + m.group(1) + "} in '" + text + "' has no value in this trial");
        }
        replacement = format(values.get(m.group(1)));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * A parameter value as plain text: integers without {@code .0}, floats in plain decimal notation
   * with every significant digit (and at least one decimal, e.g. {@code 3.0}), other values as they
   * are.
   */
  public static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return Double.toString(d);
      }
      String plain = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    return String.valueOf(value);
  }

  @Override
  public String toString() {
    return text;
  }
}
