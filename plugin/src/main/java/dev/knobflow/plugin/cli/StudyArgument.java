package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The study a command works on ({@code show}, {@code importance}, {@code report}, {@code worker},
 * {@code resume}), named by its NAME and {@code --storage}, or by its study file (in NAME's place
 * or with {@code --config}). A study file gives the study's name and storage exactly as {@code
 * tune} read them: {@link StudyFileParser} resolves a relative journal path against the file's
 * directory, and an {@code mlflow} storage carries the file's {@code tracking:} section.
 *
 * @param name the study's name
 * @param storage where the study is, before {@code --tracking-uri}/{@code --experiment}
 * @param file the study file, when the study was named by one
 */
record StudyArgument(String name, StorageSpec storage, Optional<Path> file) {

  /** Whether {@code text}, in NAME's place, is a study file: an existing .yaml or .yml file. */
  static boolean isStudyFile(String text) {
    if (text == null) {
      return false;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return (lower.endsWith(".yaml") || lower.endsWith(".yml"))
        && Files.isRegularFile(Path.of(text));
  }

  /**
   * Resolves a command's study.
   *
   * @param nameOrFile the positional NAME (a study name or a study file), or {@code null}
   * @param config {@code --config}, or {@code null}
   * @param storageOption {@code --storage}'s value (its default when not given); given on the
   *     command line, it wins over a study file's storage, as with {@code tune}
   * @param needsStorage whether a NAME needs {@code --storage} given (no default storage)
   */
  static StudyArgument resolve(
      CommandSpec spec,
      String nameOrFile,
      Path config,
      String storageOption,
      boolean needsStorage) {
    CommandLine commandLine = spec.commandLine();
    String storage =
        commandLine.getParseResult().hasMatchedOption("--storage") ? storageOption : null;
    Path file = config;
    if (file != null && nameOrFile != null) {
      throw new ParameterException(
          commandLine, "give the study's NAME or its study file, not both (got --config too)");
    }
    if (file == null && isStudyFile(nameOrFile)) {
      file = Path.of(nameOrFile);
    }
    if (file != null) {
      StudyConfig parsed = StudyFileParser.standard().parse(file);
      StorageSpec storageSpec =
          storage != null ? StorageOption.existing(storage) : existing(parsed.storage(), file);
      return new StudyArgument(parsed.name(), storageSpec, Optional.of(file));
    }
    if (nameOrFile == null) {
      throw new ParameterException(
          commandLine, "give the study's NAME or its study file (STUDY.yaml)");
    }
    if (storageOption == null || (needsStorage && storage == null)) {
      throw new ParameterException(
          commandLine,
          "give --storage with the study's NAME, or give its study file (STUDY.yaml) instead");
    }
    return new StudyArgument(nameOrFile, StorageOption.existing(storageOption), Optional.empty());
  }

  /** The study file's directory, or {@code fallback} when the study was named by its NAME. */
  Path directory(Path fallback) {
    return file.map(f -> f.toAbsolutePath().normalize().getParent()).orElse(fallback);
  }

  /** A study file's journal must exist: the file was tuned before. */
  private static StorageSpec existing(StorageSpec spec, Path file) {
    if (spec instanceof StorageSpec.Journal j && !Files.isRegularFile(j.path())) {
      throw new BadInputException(
          "no journal at "
              + j.path()
              + " (the storage of "
              + file
              + ", relative to its directory); run `knobflow tune "
              + ShellWords.quote(file.toString())
              + "` first");
    }
    return spec;
  }
}
