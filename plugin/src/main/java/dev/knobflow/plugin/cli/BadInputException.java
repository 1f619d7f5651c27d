package dev.knobflow.plugin.cli;

/** The user asked for something that cannot be done as asked; exit code 2, no stack trace. */
final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadInputException(String message) {
    super(message);
  }
}
