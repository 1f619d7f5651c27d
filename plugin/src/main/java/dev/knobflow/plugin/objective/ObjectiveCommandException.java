package dev.knobflow.plugin.objective;

/**
 * A command objective's trial failed: the command could not start, exited with an error, timed out
 * or did not report its objective values. The message is the trial's fail reason.
 */
public final class ObjectiveCommandException extends Exception {
  private static final long serialVersionUID = 1L;

  public ObjectiveCommandException(String message) {
    super(message);
  }
}
