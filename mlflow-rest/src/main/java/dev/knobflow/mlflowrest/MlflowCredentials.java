package dev.knobflow.mlflowrest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Credentials for an MLflow tracking server: a bearer token, or a user name and password for HTTP
 * Basic authentication, or none.
 *
 * <p>When both are present, Basic wins, as in MLflow's Python and Java clients. {@link #toString()}
 * never prints a secret.
 *
 * @param token bearer token, or {@code null}
 * @param username Basic user name, or {@code null}; requires {@code password}
 * @param password Basic password, or {@code null}; requires {@code username}
 */
public record MlflowCredentials(
    @Nullable String token, @Nullable String username, @Nullable String password) {

  private static final MlflowCredentials NONE = new MlflowCredentials(null, null, null);

  /** Normalises blank values to absent and checks that user name and password come together. */
  public MlflowCredentials {
    token = blankToNull(token);
    username = blankToNull(username);
    password = blankToNull(password);
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "MLflow Basic authentication needs both a username and a password (environment: "
              + MlflowConnection.ENV_USERNAME
              + " and "
              + MlflowConnection.ENV_PASSWORD
              + "); only the "
              + (username == null ? "password" : "username")
              + " is set");
    }
  }

  /** No authentication. */
  public static MlflowCredentials none() {
    return NONE;
  }

  /** Bearer-token authentication ({@code Authorization: Bearer <token>}). */
  public static MlflowCredentials bearer(String token) {
    if (blankToNull(token) == null) {
      throw new IllegalArgumentException("token must not be blank");
    }
    return new MlflowCredentials(token, null, null);
  }

  /** HTTP Basic authentication. */
  public static MlflowCredentials basic(String username, String password) {
    if (blankToNull(username) == null || blankToNull(password) == null) {
      throw new IllegalArgumentException("username and password must not be blank");
    }
    return new MlflowCredentials(null, username, password);
  }

  /** The value of the {@code Authorization} header these credentials produce, if any. */
  public Optional<String> authorizationHeader() {
    if (username != null) {
      String pair = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (token != null) {
      return Optional.of("Bearer " + token);
    }
    return Optional.empty();
  }

  /** {@code basic}, {@code bearer} or {@code none}. */
  public String scheme() {
    if (username != null) {
      return "basic";
    }
    return token != null ? "bearer" : "none";
  }

  /** Replaces every secret these credentials hold with {@code ***} in {@code text}. */
  public @Nullable String redact(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : new String[] {token, password}) {
      if (secret != null && !secret.isEmpty()) {
        result = result.replace(secret, "***");
      }
    }
    Optional<String> header = authorizationHeader();
    if (header.isPresent()) {
      String encoded = header.get().substring(header.get().indexOf(' ') + 1);
      result = result.replace(encoded, "***");
    }
    return result;
  }

  @Override
  public String toString() {
    return "MlflowCredentials[scheme=" + scheme() + "]";
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
