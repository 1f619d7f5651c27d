package dev.knobflow.mlflowrest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * MLflow's limits on one {@code log-batch} request and on keys and values (as enforced by MLflow
 * 3's {@code mlflow/utils/validation.py}).
 *
 * @param maxMetricsPerBatch metrics per request (MLflow: 1,000)
 * @param maxParamsAndTagsPerBatch params plus tags per request (MLflow: 100 each; we stay under 100
 *     combined)
 * @param maxEntitiesPerBatch metrics, params and tags per request (MLflow: 1,000)
 * @param maxRequestBytes estimated JSON size per request (MLflow rejects over 1,000,000 bytes; the
 *     default keeps 10% headroom)
 * @param maxParamValueLength characters in a param value (MLflow: 6,000)
 * @param maxTagValueLength characters in a tag value (MLflow: 8,000)
 * @param maxKeyLength characters in a metric, param or tag key (MLflow: 250)
 */
public record MlflowLimits(
    int maxMetricsPerBatch,
    int maxParamsAndTagsPerBatch,
    int maxEntitiesPerBatch,
    int maxRequestBytes,
    int maxParamValueLength,
    int maxTagValueLength,
    int maxKeyLength) {

  /** Appended to a value that {@link OversizedValuePolicy#TRUNCATE} shortened. */
  public static final String TRUNCATION_MARKER = "...[truncated]";

  // MLflow on POSIX: slashes, word characters, periods, dashes, colons and spaces.
  private static final Pattern VALID_KEY =
      Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);

  /** Checks that every limit is positive. */
  public MlflowLimits {
    requirePositive("maxMetricsPerBatch", maxMetricsPerBatch);
    requirePositive("maxParamsAndTagsPerBatch", maxParamsAndTagsPerBatch);
    requirePositive("maxEntitiesPerBatch", maxEntitiesPerBatch);
    requirePositive("maxRequestBytes", maxRequestBytes);
    requirePositive("maxParamValueLength", maxParamValueLength);
    requirePositive("maxTagValueLength", maxTagValueLength);
    requirePositive("maxKeyLength", maxKeyLength);
    if (maxParamValueLength <= TRUNCATION_MARKER.length()
        || maxTagValueLength <= TRUNCATION_MARKER.length()) {
      throw new IllegalArgumentException("value length limits must exceed the truncation marker");
    }
  }

  /** The limits of MLflow 2.x and 3.x tracking servers. */
  public static MlflowLimits mlflowDefaults() {
    return new MlflowLimits(1000, 100, 1000, 900_000, 6000, 8000, 250);
  }

  /**
   * Checks a metric, param or tag key against MLflow's rules.
   *
   * @param kind "metric", "param" or "tag", for the message
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public void validateKey(String kind, String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(kind + " key must not be empty");
    }
    if (key.length() > maxKeyLength) {
      throw new IllegalArgumentException(
          kind
              + " key '"
              + key.substring(0, 40)
              + "...' has "
              + key.length()
              + " characters; MLflow allows at most "
              + maxKeyLength);
    }
    if (!VALID_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          kind
              + " key '"
              + key
              + "' is invalid: MLflow keys may only contain letters, digits, underscores,"
              + " periods, dashes, colons, spaces and slashes");
    }
    if (key.startsWith("/")
        || key.endsWith("/")
        || key.contains("//")
        || ("/" + key + "/").contains("/./")
        || ("/" + key + "/").contains("/../")) {
      throw new IllegalArgumentException(
          kind
              + " key '"
              + key
              + "' is invalid: MLflow keys must be normalised relative paths (no leading or"
              + " trailing '/', no '//', '.' or '..' segments)");
    }
  }

  /**
   * Applies {@code policy} to a value longer than {@code limit}.
   *
   * @throws IllegalArgumentException under {@link OversizedValuePolicy#REJECT}
   */
  static String fitValue(
      String kind, String key, String value, int limit, OversizedValuePolicy policy) {
    if (value == null) {
      throw new IllegalArgumentException(kind + " '" + key + "' has a null value");
    }
    if (value.length() <= limit) {
      return value;
    }
    if (policy == OversizedValuePolicy.REJECT) {
      throw new IllegalArgumentException(
          kind
              + " '"
              + key
              + "' has a value of "
              + value.length()
              + " characters; MLflow allows at most "
              + limit);
    }
    int keep = limit - TRUNCATION_MARKER.length();
    if (Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--; // never split a surrogate pair
    }
    return value.substring(0, keep) + TRUNCATION_MARKER;
  }

  /** Conservative JSON size of one entity: UTF-8 bytes, escapes and field names. */
  static int estimatedJsonBytes(String key, @Nullable String value) {
    return 80 + jsonBytes(key) + (value == null ? 0 : jsonBytes(value));
  }

  private static int jsonBytes(String text) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        bytes += 5; // worst case: \\uXXXX
      }
    }
    return bytes;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }
}
