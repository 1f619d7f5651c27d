package dev.knobflow.plugin.tracking;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

/**
 * Where the MLflow tracking server is and how to authenticate to it.
 *
 * <p>The standard MLflow environment variables are read from a map the caller passes (usually
 * {@code System.getenv()}), never from global state: {@value #ENV_TRACKING_URI}, {@value
 * #ENV_TOKEN} (Bearer), {@value #ENV_USERNAME} + {@value #ENV_PASSWORD} (Basic) and {@value
 * #ENV_INSECURE_TLS}. {@link #toString()} never prints a secret.
 *
 * @param trackingUri the server's base URL, {@code http} or {@code https}, without credentials
 * @param credentials how to authenticate
 * @param insecureTls skip TLS certificate and host name verification (self-signed servers only)
 */
public record MlflowConnection(
    URI trackingUri, MlflowCredentials credentials, boolean insecureTls) {

  /** Tracking server URL. */
  public static final String ENV_TRACKING_URI = "MLFLOW_TRACKING_URI";

  /** Bearer token. */
  public static final String ENV_TOKEN = "MLFLOW_TRACKING_TOKEN";

  /** Basic authentication user name. */
  public static final String ENV_USERNAME = "MLFLOW_TRACKING_USERNAME";

  /** Basic authentication password. */
  public static final String ENV_PASSWORD = "MLFLOW_TRACKING_PASSWORD";

  /** {@code true} to skip TLS verification. */
  public static final String ENV_INSECURE_TLS = "MLFLOW_TRACKING_INSECURE_TLS";

  /** Validates the URI and strips a trailing slash. */
  public MlflowConnection {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(credentials, "credentials");
    String scheme = trackingUri.getScheme() == null ? "" : trackingUri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "trackingUri must be an http:// or https:// URL of an MLflow tracking server, got '"
              + trackingUri
              + "' (the Java client cannot open file: or database stores; run `mlflow server`)");
    }
    if (trackingUri.getHost() == null) {
      throw new IllegalArgumentException("trackingUri has no host: '" + trackingUri + "'");
    }
    if (trackingUri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "trackingUri must not embed credentials; set "
              + ENV_USERNAME
              + "/"
              + ENV_PASSWORD
              + " or "
              + ENV_TOKEN
              + " instead");
    }
    String text = trackingUri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    trackingUri = URI.create(text);
  }

  /** A connection without credentials. */
  public static MlflowConnection of(String trackingUri) {
    return new MlflowConnection(parse(trackingUri), MlflowCredentials.none(), false);
  }

  /**
   * A connection to {@code trackingUri} with credentials and TLS mode from {@code env}.
   *
   * @param env environment variables, e.g. {@code System.getenv()}
   */
  public static MlflowConnection of(String trackingUri, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    MlflowCredentials credentials =
        new MlflowCredentials(env.get(ENV_TOKEN), env.get(ENV_USERNAME), env.get(ENV_PASSWORD));
    return new MlflowConnection(parse(trackingUri), credentials, insecureTls(env));
  }

  /**
   * A connection entirely described by {@code env}, which must contain {@value #ENV_TRACKING_URI}.
   */
  public static MlflowConnection fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String uri = env.get(ENV_TRACKING_URI);
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          ENV_TRACKING_URI
              + " is not set; set it to the tracking server URL, e.g. http://host:5000");
    }
    return of(uri, env);
  }

  /** The same server with other credentials. */
  public MlflowConnection withCredentials(MlflowCredentials newCredentials) {
    return new MlflowConnection(trackingUri, newCredentials, insecureTls);
  }

  /** Credentials in the form {@code org.mlflow.tracking.MlflowClient} accepts. */
  public MlflowHostCredsProvider hostCredsProvider() {
    return new BasicMlflowHostCreds(
        trackingUri.toString(),
        credentials.username(),
        credentials.password(),
        credentials.token(),
        insecureTls);
  }

  /** {@code trackingUri} joined with an absolute {@code path} such as {@code /api/2.0/...}. */
  public URI resolve(String path) {
    return URI.create(trackingUri + path);
  }

  /** Replaces any secret of this connection in {@code text} with {@code ***}. */
  public String redact(String text) {
    return credentials.redact(text);
  }

  @Override
  public String toString() {
    return "MlflowConnection[trackingUri="
        + trackingUri
        + ", auth="
        + credentials.scheme()
        + ", insecureTls="
        + insecureTls
        + "]";
  }

  private static URI parse(String trackingUri) {
    Objects.requireNonNull(trackingUri, "trackingUri");
    try {
      return URI.create(trackingUri.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "trackingUri is not a valid URL: '" + trackingUri + "'", e);
    }
  }

  private static boolean insecureTls(Map<String, String> env) {
    String value = env.get(ENV_INSECURE_TLS);
    if (value == null || value.isBlank()) {
      return false;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException(
            ENV_INSECURE_TLS + " must be true or false, got '" + value + "'");
    }
  }
}
