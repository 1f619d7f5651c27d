package dev.knobflow.mlflowrest;

import org.jspecify.annotations.Nullable;

/** A tracking call failed; the message says what to check. It never contains a secret. */
public class MlflowTrackingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final @Nullable String errorCode;

  /**
   * @param message what failed and what to check
   * @param statusCode HTTP status, or 0 when no response arrived
   * @param errorCode MLflow's error code (e.g. {@code INVALID_PARAMETER_VALUE}), or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public MlflowTrackingException(
      String message, int statusCode, @Nullable String errorCode, @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  /** HTTP status of the failed call, or 0 when the server gave no response. */
  public int statusCode() {
    return statusCode;
  }

  /** MLflow's error code such as {@code RESOURCE_ALREADY_EXISTS}, or {@code null}. */
  public @Nullable String errorCode() {
    return errorCode;
  }
}
