package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.config.StorageSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parses {@code --storage} for the commands that read a storage. */
final class StorageOption {

  /** The default for {@code studies} and {@code show}: the journal in the working directory. */
  static final String DEFAULT = "journal:" + StorageSpec.DEFAULT_JOURNAL;

  private StorageOption() {}

  /** A storage string given on the command line; relative paths resolve against the cwd. */
  static StorageSpec parse(String text) {
    try {
      return StorageSpec.parse(text, Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--storage " + e.getMessage());
    }
  }

  /**
   * A storage to read from: it must already exist.
   *
   * @throws BadInputException for memory, or a journal file that is not there
   */
  static StorageSpec existing(String text) {
    StorageSpec spec = parse(text);
    if (spec instanceof StorageSpec.Memory) {
      throw new BadInputException(
          "--storage memory keeps nothing between runs; name the journal the study was tuned in,"
              + " e.g. --storage journal:path/to/journal.jsonl");
    }
    if (spec instanceof StorageSpec.Journal j && !Files.isRegularFile(j.path())) {
      throw new BadInputException(
          "no journal at "
              + j.path()
              + "; nothing was tuned with this storage yet (a study file's relative journal path"
              + " is relative to the study file's directory: pass --storage journal:<path>)");
    }
    return spec;
  }
}
