package dev.knobflow.advisor.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how to ask the LLM. Holds the NAME of the environment variable with the API key, never
 * the key itself, so this record can be logged and shown.
 *
 * @param baseUrl OpenAI-compatible base URL including {@code /v1}, e.g. {@code
 *     https://api.openai.com/v1}
 * @param model model name sent with each request
 * @param apiKeyEnv name of the environment variable holding the API key
 * @param timeout per-request timeout (default 30 s)
 * @param maxRetries retries on timeouts, 429 and 5xx (default 2)
 * @param maxCalls most LLM calls per study (default 20)
 */
public record LlmConfig(
    String baseUrl,
    String model,
    String apiKeyEnv,
    Duration timeout,
    int maxRetries,
    int maxCalls) {

  /** Default per-request timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Set<String> KEYS =
      Set.of("base_url", "model", "api_key_env", "timeout", "max_retries", "max_calls");

  /** Validates every field, naming it. */
  public LlmConfig {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("advisor.llm.base_url is required");
    }
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("advisor.llm.base_url is not a URL: " + baseUrl, e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "advisor.llm.base_url must start with http:// or https://; got " + baseUrl);
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "advisor.llm.base_url must not carry credentials; use api_key_env");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("advisor.llm.model is required");
    }
    if (apiKeyEnv == null || !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "advisor.llm.api_key_env must be an environment variable NAME (letters, digits, _);"
              + " got: "
              + (apiKeyEnv == null ? "null" : "a value that is not a variable name"));
    }
    Objects.requireNonNull(timeout, "advisor.llm.timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("advisor.llm.timeout must be > 0; got " + timeout);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("advisor.llm.max_retries must be >= 0; got " + maxRetries);
    }
    if (maxCalls < 0) {
      throw new IllegalArgumentException("advisor.llm.max_calls must be >= 0; got " + maxCalls);
    }
  }

  /**
   * Defaults for timeout (30 s), retries (2) and calls per study (20).
   *
   * @param baseUrl base URL
   * @param model model name
   * @param apiKeyEnv environment variable name
   * @return the config
   */
  public static LlmConfig of(String baseUrl, String model, String apiKeyEnv) {
    return new LlmConfig(baseUrl, model, apiKeyEnv, DEFAULT_TIMEOUT, 2, 20);
  }

  /**
   * Reads the study file's {@code advisor.llm} block: {@code base_url}, {@code model}, {@code
   * api_key_env}, {@code timeout} (seconds, a number), {@code max_retries}, {@code max_calls}.
   *
   * @param llm the block as parsed YAML/JSON
   * @return the config
   * @throws IllegalArgumentException naming an unknown or bad key
   */
  public static LlmConfig fromMap(Map<String, ?> llm) {
    for (String key : llm.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "advisor.llm."
                + key
                + " is not a known key; allowed: "
                + new java.util.TreeSet<>(KEYS));
      }
    }
    Duration timeout = DEFAULT_TIMEOUT;
    if (llm.get("timeout") != null) {
      double seconds = number(llm, "timeout");
      timeout = Duration.ofMillis(Math.round(seconds * 1000));
    }
    return new LlmConfig(
        string(llm, "base_url"),
        string(llm, "model"),
        string(llm, "api_key_env"),
        timeout,
        llm.get("max_retries") == null ? 2 : (int) number(llm, "max_retries"),
        llm.get("max_calls") == null ? 20 : (int) number(llm, "max_calls"));
  }

  private static String string(Map<String, ?> map, String key) {
    Object v = map.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static double number(Map<String, ?> map, String key) {
    Object v = map.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("advisor.llm." + key + " must be a number; got " + v, e);
    }
  }
}
