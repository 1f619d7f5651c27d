package dev.knobflow.mlflowrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.jspecify.annotations.Nullable;

/** Classifies tracking failures as transient or not and turns them into clear messages. */
final class MlflowFailures {

  static final String INVALID_HOST_MARKER = "Invalid Host header";

  private static final ObjectMapper JSON = new ObjectMapper();

  private MlflowFailures() {}

  /** True for failures worth retrying: HTTP 408, 429, 5xx, and connection-level errors. */
  static boolean isTransient(Throwable failure) {
    if (failure instanceof MlflowTrackingException e) {
      return e.statusCode() == 0
          ? isConnectionProblem(e.getCause())
          : isTransientStatus(e.statusCode());
    }
    if (failure instanceof MlflowHttpException e) {
      return isTransientStatus(e.getStatusCode());
    }
    return isConnectionProblem(failure);
  }

  static boolean isTransientStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  /** True when no HTTP response arrived: refused, reset, timed out. */
  static boolean isConnectionProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
      if (t instanceof MlflowHttpException) {
        return false;
      }
    }
    return false;
  }

  /** MLflow's {@code error_code} from a JSON error body, or {@code null}. */
  static @Nullable String errorCode(@Nullable String body) {
    JsonNode node = parse(body);
    return node != null && node.hasNonNull("error_code") ? node.get("error_code").asText() : null;
  }

  /** MLflow's {@code message} from a JSON error body, else the body itself. */
  static String errorMessage(@Nullable String body) {
    JsonNode node = parse(body);
    if (node != null && node.hasNonNull("message")) {
      return node.get("message").asText();
    }
    return body == null ? "" : body.strip();
  }

  /**
   * A clear exception for a failed {@code operation} against {@code connection}.
   *
   * @param failure what the client threw
   */
  static MlflowTrackingException describe(
      String operation, MlflowConnection connection, Throwable failure) {
    if (failure instanceof MlflowTrackingException e) {
      return e;
    }
    if (failure instanceof MlflowHttpException e) {
      return describeHttp(operation, connection, e.getStatusCode(), e.getBodyMessage(), e);
    }
    String uri = connection.trackingUri().toString();
    if (isConnectionProblem(failure)) {
      Throwable root = rootCause(failure);
      String reason =
          root instanceof ConnectException
              ? "connection refused"
              : root instanceof HttpTimeoutException
                  ? "timed out"
                  : root.getClass().getSimpleName() + ": " + root.getMessage();
      return new MlflowTrackingException(
          connection.redact(
              "Cannot reach the MLflow tracking server at "
                  + uri
                  + " ("
                  + operation
                  + ": "
                  + reason
                  + "). Check that the server is running and that the tracking URI ("
                  + MlflowConnection.ENV_TRACKING_URI
                  + ") is right."),
          0,
          null,
          failure);
    }
    String message =
        failure instanceof MlflowClientException
            ? failure.getMessage()
            : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return new MlflowTrackingException(
        connection.redact(operation + " failed against " + uri + ": " + message), 0, null, failure);
  }

  /** A clear exception for an HTTP error response. */
  static MlflowTrackingException describeHttp(
      String operation,
      MlflowConnection connection,
      int status,
      @Nullable String body,
      @Nullable Throwable cause) {
    String uri = connection.trackingUri().toString();
    String code = errorCode(body);
    String serverMessage = errorMessage(body);
    String text;
    if (status == 403 && body != null && body.contains(INVALID_HOST_MARKER)) {
      text =
          "The MLflow server at "
              + uri
              + " refused "
              + operation
              + " with 403 \"Invalid Host header\": MLflow 3's security middleware only accepts"
              + " requests whose Host header is localhost, a private IP or listed in its allowed"
              + " hosts. Start the server with --allowed-hosts '"
              + hostAndPort(connection)
              + "' (or set MLFLOW_SERVER_ALLOWED_HOSTS on the server), or use a tracking URI"
              + " whose host the server already allows.";
    } else if (status == 401 || status == 403) {
      text =
          operation
              + " was refused by "
              + uri
              + " with HTTP "
              + status
              + " ("
              + serverMessage
              + "). Check the credentials: "
              + MlflowConnection.ENV_TOKEN
              + " or "
              + MlflowConnection.ENV_USERNAME
              + "/"
              + MlflowConnection.ENV_PASSWORD
              + " (currently "
              + connection.credentials().scheme()
              + ").";
    } else {
      text =
          operation
              + " failed against "
              + uri
              + ": HTTP "
              + status
              + (code != null ? " " + code : "")
              + ": "
              + serverMessage;
    }
    return new MlflowTrackingException(connection.redact(text), status, code, cause);
  }

  private static String hostAndPort(MlflowConnection connection) {
    int port = connection.trackingUri().getPort();
    String host = connection.trackingUri().getHost();
    return port < 0 ? host : host + ":" + port;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static @Nullable JsonNode parse(@Nullable String body) {
    if (body == null || body.isBlank() || body.charAt(0) != '{') {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
