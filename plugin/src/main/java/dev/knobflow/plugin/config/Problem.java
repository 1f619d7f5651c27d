package dev.knobflow.plugin.config;

/**
 * One thing wrong with a study file.
 *
 * @param path where in the file, e.g. {@code space.eta.low} or {@code objectives[1].direction}
 * @param message what is wrong and what is allowed
 */
public record Problem(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
