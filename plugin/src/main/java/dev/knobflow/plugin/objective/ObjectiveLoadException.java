package dev.knobflow.plugin.objective;

/** A class objective cannot be loaded: not found, wrong type or no usable constructor. */
public final class ObjectiveLoadException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ObjectiveLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
