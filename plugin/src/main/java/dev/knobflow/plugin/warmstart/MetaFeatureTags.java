package dev.knobflow.plugin.warmstart;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Meta-features as string tags named {@code knobflow.meta.<name>}, so that they survive as MLflow
 * run tags. Values are written with {@link Double#toString}, which round-trips every double
 * exactly.
 */
public final class MetaFeatureTags {

  /** The prefix of every meta-feature tag. */
  public static final String PREFIX = "knobflow.meta.";

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

  private MetaFeatureTags() {}

  /**
   * The tags for {@code features}, in their order.
   *
   * @throws IllegalArgumentException for a name that is not snake_case ({@code [a-z0-9_]+}) or a
   *     value that is not finite
   */
  public static Map<String, String> encode(Map<String, Double> features) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : features.entrySet()) {
      String name = e.getKey();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "meta-feature name must be snake_case ([a-z0-9_]+), got '" + name + "'");
      }
      Double value = e.getValue();
      if (value == null || !Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "meta-feature '" + name + "': value must be a finite number, got " + value);
      }
      tags.put(PREFIX + name, Double.toString(value));
    }
    return tags;
  }

  /**
   * The meta-features among {@code tags}: those named {@code knobflow.meta.<name>}; other tags are
   * ignored.
   *
   * @throws IllegalArgumentException naming the tag whose value is not a finite number
   */
  public static Map<String, Double> decode(Map<String, String> tags) {
    Map<String, Double> features = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String tag = e.getKey();
      if (tag == null || !tag.startsWith(PREFIX) || tag.length() == PREFIX.length()) {
        continue;
      }
      String text = e.getValue() == null ? "" : e.getValue().trim();
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "tag " + tag + ": expected a number, got '" + e.getValue() + "'", ex);
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "tag " + tag + ": expected a finite number, got '" + e.getValue() + "'");
      }
      features.put(tag.substring(PREFIX.length()), value);
    }
    return features;
  }
}
