package dev.knobflow.greenmetrics.power;

/** A power source cannot start or has failed; the message says why and what to do about it. */
public class PowerSourceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PowerSourceException(String message) {
    super(message);
  }

  public PowerSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
