package dev.knobflow.mlflowrest;

/** An HTTP error answer from the server: its status, reason phrase and body. */
final class MlflowHttpException extends MlflowClientException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String reasonPhrase;
  private final String bodyMessage;

  MlflowHttpException(int statusCode, String reasonPhrase, String bodyMessage) {
    super(
        "API request failed with code "
            + statusCode
            + " != 200"
            + (reasonPhrase == null ? "" : " (" + reasonPhrase + ")")
            + ". Response body: '"
            + bodyMessage
            + "'");
    this.statusCode = statusCode;
    this.reasonPhrase = reasonPhrase;
    this.bodyMessage = bodyMessage;
  }

  int getStatusCode() {
    return statusCode;
  }

  String getReasonPhrase() {
    return reasonPhrase;
  }

  String getBodyMessage() {
    return bodyMessage;
  }
}
