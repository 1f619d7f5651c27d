package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.file.Path;

/**
 * Where a study lives, as written in a study file or on the command line: {@code memory}, {@code
 * journal:<path>} (or bare {@code journal} for {@value #DEFAULT_JOURNAL}) or {@code mlflow}.
 */
public sealed interface StorageSpec {

  /** The journal path used when none is given. */
  String DEFAULT_JOURNAL = ".knobflow/journal.jsonl";

  /** The accepted forms, for messages. */
  String FORMS = "memory, journal:<path> (or journal for " + DEFAULT_JOURNAL + ") or mlflow";

  /** Opens (or creates) the storage. */
  StudyStorage open();

  /** The form to write it back, e.g. {@code journal:/abs/path/journal.jsonl}. */
  String describe();

  /** Trials kept in this process only; gone when it ends. */
  record Memory() implements StorageSpec {
    @Override
    public StudyStorage open() {
      return InMemoryStorage.create();
    }

    @Override
    public String describe() {
      return "memory";
    }
  }

  /** The append-only journal file; safe for several processes on one host. */
  record Journal(Path path) implements StorageSpec {
    @Override
    public StudyStorage open() {
      return JournalStorage.open(path);
    }

    @Override
    public String describe() {
      return "journal:" + path;
    }
  }

  /**
   * An MLflow tracking server. Recognised so that files written for it read correctly, but not
   * available in this build: {@link #open()} says so.
   */
  record Mlflow(String trackingUri) implements StorageSpec {
    /** Why it cannot be used yet. */
    public static final String NOT_AVAILABLE =
        "the mlflow storage is recognised but not available yet in this version of Knobflow; use"
            + " journal:<path> (the default) or memory";

    @Override
    public StudyStorage open() {
      throw new UnsupportedOperationException(NOT_AVAILABLE);
    }

    @Override
    public String describe() {
      return trackingUri.isEmpty() ? "mlflow" : "mlflow:" + trackingUri;
    }
  }

  /** The default: the journal at {@value #DEFAULT_JOURNAL} under {@code baseDirectory}. */
  static StorageSpec defaultFor(Path baseDirectory) {
    return new Journal(baseDirectory.resolve(DEFAULT_JOURNAL).normalize());
  }

  /**
   * Parses a storage string. A relative journal path resolves against {@code baseDirectory} (the
   * study file's directory for study files, the working directory on the command line).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static StorageSpec parse(String text, Path baseDirectory) {
    String t = text == null ? "" : text.trim();
    if (t.equals("memory")) {
      return new Memory();
    }
    if (t.equals("journal")) {
      return defaultFor(baseDirectory);
    }
    if (t.startsWith("journal:")) {
      String file = t.substring("journal:".length()).trim();
      if (file.isEmpty()) {
        throw new IllegalArgumentException("journal: needs a file path, e.g. journal:runs/j.jsonl");
      }
      return new Journal(baseDirectory.resolve(file).toAbsolutePath().normalize());
    }
    if (t.equals("mlflow")) {
      return new Mlflow("");
    }
    if (t.startsWith("mlflow:")) {
      return new Mlflow(t.substring("mlflow:".length()));
    }
    throw new IllegalArgumentException(
        "must be "
            + FORMS
            + ", got '"
            + text
            + "'"
            + Suggestions.hint(t, java.util.List.of("memory", "journal", "mlflow")));
  }
}
