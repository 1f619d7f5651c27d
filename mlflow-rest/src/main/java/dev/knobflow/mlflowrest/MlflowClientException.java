package dev.knobflow.mlflowrest;

/**
 * A request that got no usable answer (the connection failed), or, as {@link MlflowHttpException},
 * an HTTP error answer. Internal to the client: callers see {@link MlflowTrackingException}.
 */
class MlflowClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MlflowClientException(String message) {
    super(message);
  }

  MlflowClientException(Throwable cause) {
    super(cause);
  }
}
