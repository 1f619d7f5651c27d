package dev.knobflow.plugin.spark;

import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.config.StudyFileParser;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A study file as text, which is what travels to Spark executors: every task parses it again, so
 * nothing but strings is serialised.
 *
 * @param yaml the study file's text
 * @param baseDirectory the absolute directory its relative paths resolve against, as a string (it
 *     must exist with the same content on every executor, e.g. on a shared file system)
 * @param source a name for messages, usually the file's path
 */
public record StudyDefinition(String yaml, String baseDirectory, String source)
    implements Serializable {

  public StudyDefinition {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Objects.requireNonNull(source, "source");
  }

  /** Reads a study file; its directory becomes the base directory. */
  public static StudyDefinition read(Path file) {
    try {
      Path absolute = file.toAbsolutePath().normalize();
      return new StudyDefinition(
          Files.readString(absolute), absolute.getParent().toString(), file.toString());
    } catch (IOException e) {
      throw StudyFileException.of(file.toString(), "", "cannot read: " + e.getMessage());
    }
  }

  /** Study-file text whose relative paths resolve against {@code baseDirectory}. */
  public static StudyDefinition of(String yaml, Path baseDirectory) {
    return new StudyDefinition(
        yaml, baseDirectory.toAbsolutePath().normalize().toString(), "study file");
  }

  /**
   * Parses the text and checks that every worker can reach the storage.
   *
   * @throws StudyFileException listing the file's problems, or naming {@code storage} when it is
   *     {@code memory} (each Spark task would tune its own private study)
   */
  public StudyConfig parse() {
    StudyConfig config = StudyFileParser.standard().parse(yaml, Path.of(baseDirectory), source);
    if (config.storage() instanceof StorageSpec.Memory) {
      throw StudyFileException.of(
          source,
          "storage",
          "a Spark run needs a storage every worker can reach: postgresql://..., journal:<path"
              + " on a shared file system> or mlflow, got memory");
    }
    return config;
  }
}
