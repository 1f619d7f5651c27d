package dev.knobflow.mlflowrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The MLflow REST calls the tracking layer makes ({@code /api/2.0/mlflow/...}), JSON over the JDK's
 * {@link HttpURLConnection}.
 *
 * <p>It replaces {@code org.mlflow.tracking.MlflowClient} as the transport because that client's
 * HTTP connection handling cannot be configured: it always keeps connections alive, which costs
 * about 40 ms per request against a stock multi-worker {@code mlflow server} (see {@link
 * MlflowConnection}). Here {@link MlflowConnection#reuseConnections()} decides: when {@code false}
 * every request asks the server to close the connection after answering ({@code Connection:
 * close}), so the server, not the client, keeps the closed socket's TIME_WAIT.
 *
 * <p>Failures are thrown as the MLflow client throws them, so that {@link Retrier} and {@link
 * MlflowFailures} classify them the same way: {@link MlflowHttpException} for an HTTP error answer
 * (status, reason, body), {@link MlflowClientException} wrapping the {@link IOException} when no
 * answer arrived.
 */
final class MlflowRestClient {

  private static final String API = "/api/2.0/mlflow/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MlflowConnection connection;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final SSLSocketFactory insecureTls;

  MlflowRestClient(MlflowConnection connection, Duration connectTimeout, Duration readTimeout) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    this.insecureTls =
        connection.insecureTls() ? InsecureTls.trustAllContext().getSocketFactory() : null;
  }

  /** {@code GET /api/2.0/mlflow/<path>} with URL-encoded {@code query} pairs (key, value, ...). */
  JsonNode get(String path, String... query) {
    StringBuilder url = new StringBuilder(path);
    for (int i = 0; i + 1 < query.length; i += 2) {
      url.append(i == 0 ? '?' : '&')
          .append(encode(query[i]))
          .append('=')
          .append(encode(query[i + 1]));
    }
    return send("GET", url.toString(), null);
  }

  /** {@code POST /api/2.0/mlflow/<path>} with a JSON body. */
  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  /** A new JSON object for a request body. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /**
   * Puts a double the way protobuf's JSON mapping writes one: non-finite values as the strings
   * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no literal for them).
   */
  static void putDouble(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.put(field, Double.toString(value));
    }
  }

  /** A JSON array of strings. */
  static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  /** The experiment named {@code name}, or empty when the server has none. */
  Optional<JsonNode> experimentByName(String name) {
    try {
      return Optional.of(get("experiments/get-by-name", "experiment_name", name).get("experiment"));
    } catch (MlflowHttpException e) {
      if (e.getStatusCode() == 404
          && "RESOURCE_DOES_NOT_EXIST".equals(MlflowFailures.errorCode(e.getBodyMessage()))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private JsonNode send(String method, String path, @Nullable JsonNode body) {
    HttpURLConnection http = null;
    try {
      http = (HttpURLConnection) connection.resolve(API + path).toURL().openConnection();
      http.setRequestMethod(method);
      http.setConnectTimeout(connectTimeoutMillis);
      http.setReadTimeout(readTimeoutMillis);
      http.setUseCaches(false);
      http.setInstanceFollowRedirects(true);
      if (insecureTls != null && http instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(insecureTls);
        https.setHostnameVerifier((host, session) -> true);
      }
      if (!connection.reuseConnections()) {
        http.setRequestProperty("Connection", "close");
      }
      http.setRequestProperty("Accept", "application/json");
      http.setRequestProperty("User-Agent", "knobflow");
      HttpURLConnection request = http;
      connection
          .credentials()
          .authorizationHeader()
          .ifPresent(value -> request.setRequestProperty("Authorization", value));
      if (body != null) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/json");
        // One write of a known length: the request's headers and body leave together.
        http.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = http.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = http.getResponseCode();
      if (status >= 400) {
        throw new MlflowHttpException(status, http.getResponseMessage(), readAll(http, true));
      }
      String text = readAll(http, false);
      return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      if (http != null) {
        http.disconnect();
      }
      throw new MlflowClientException(e);
    }
  }

  private static String readAll(HttpURLConnection http, boolean error) throws IOException {
    InputStream stream = error ? http.getErrorStream() : http.getInputStream();
    if (stream == null) {
      return "";
    }
    try (InputStream in = stream) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
