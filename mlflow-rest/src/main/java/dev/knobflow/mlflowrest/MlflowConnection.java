package dev.knobflow.mlflowrest;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 *     <p>{@code reuseConnections} decides whether requests share kept-alive connections. The
 *     default ({@link #defaultReuseConnections(URI)}) is a fresh connection per request for {@code
 *     http} and kept-alive connections for {@code https}: a stock {@code mlflow server} (uvicorn
 *     with its default 4 workers) does not set {@code TCP_NODELAY} on its sockets and writes a
 *     response's headers and body separately, so on a kept-alive connection every answer waits for
 *     the client's delayed ACK (about 40 ms on Linux); a new connection starts in quick-ACK mode
 *     and does not wait. Over TLS the handshake costs more than that, and TLS is usually ended by a
 *     proxy that sets {@code TCP_NODELAY}. {@value #ENV_REUSE_CONNECTIONS} overrides the default.
 * @param trackingUri the server's base URL, {@code http} or {@code https}, without credentials
 * @param credentials how to authenticate
 * @param insecureTls skip TLS certificate and host name verification (self-signed servers only)
 * @param reuseConnections keep connections alive between requests
 */
public record MlflowConnection(
    URI trackingUri, MlflowCredentials credentials, boolean insecureTls, boolean reuseConnections) {

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

  /** {@code true} or {@code false}: keep connections alive between requests. */
  public static final String ENV_REUSE_CONNECTIONS = "KNOBFLOW_MLFLOW_REUSE_CONNECTIONS";

  /** A connection with the default connection reuse for its scheme. */
  public MlflowConnection(URI trackingUri, MlflowCredentials credentials, boolean insecureTls) {
    this(trackingUri, credentials, insecureTls, defaultReuseConnections(trackingUri));
  }

  /**
   * The default reuse for {@code trackingUri}: {@code false} for {@code http} (a fresh connection
   * per request), {@code true} for {@code https}.
   */
  public static boolean defaultReuseConnections(URI trackingUri) {
    return trackingUri != null && "https".equals(trackingUri.getScheme());
  }

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
    URI uri = parse(trackingUri);
    boolean reuse = flag(env, ENV_REUSE_CONNECTIONS).orElse(defaultReuseConnections(uri));
    return new MlflowConnection(uri, credentials, flag(env, ENV_INSECURE_TLS).orElse(false), reuse);
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
    return new MlflowConnection(trackingUri, newCredentials, insecureTls, reuseConnections);
  }

  /** The same server, keeping connections alive between requests or not. */
  public MlflowConnection withReuseConnections(boolean reuse) {
    return new MlflowConnection(trackingUri, credentials, insecureTls, reuse);
  }

  /** {@code trackingUri} joined with an absolute {@code path} such as {@code /api/2.0/...}. */
  public URI resolve(String path) {
    return URI.create(trackingUri + path);
  }

  /** Replaces any secret of this connection in {@code text} with {@code ***}. */
  public @Nullable String redact(@Nullable String text) {
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
        + ", reuseConnections="
        + reuseConnections
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

  private static Optional<Boolean> flag(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
        return Optional.of(true);
      case "false":
      case "0":
        return Optional.of(false);
      default:
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    }
  }
}
