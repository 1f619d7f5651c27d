package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.config.Suggestions;
import dev.knobflow.plugin.postgres.PostgresUrl;
import dev.knobflow.plugin.runtime.StudyRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A study's definition kept in its storage, so that {@code worker} and {@code resume} can rebuild
 * the objective, space and sampler: {@code tune} and the Spark runner store the study file's text
 * and the trial count it aims for as study attributes.
 */
public final class StudyDefinitions {

  /** Study attribute: the study file's YAML text. */
  static final String STUDY_FILE = "study_file";

  /**
   * Study attribute: how many finished trials the last {@code tune} aimed for in all, counted by
   * {@link TrialTarget} (trials failed as stale or interrupted do not count); every worker of the
   * study stops starting trials when it is reached.
   */
  static final String TRIALS_TARGET = TrialTarget.STUDY_ATTR;

  /**
   * Study attribute: the absolute directory of the study file {@code tune} ran, where a joiner
   * named by the study's NAME runs the objective when that directory exists on its machine.
   */
  static final String STUDY_DIR = "study_dir";

  private StudyDefinitions() {}

  /** Stores the study file and the trial target; called by {@code tune} once the study exists. */
  static void record(StudyRunner runner, Path studyFile) {
    String text;
    try {
      text = Files.readString(studyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + studyFile + " again", e);
    }
    StudyConfig config = runner.config();
    store(runner.study().storage(), config.name(), text, config.baseDirectory());
    if (config.trials().isPresent()) {
      TrialTarget.aimFor(runner.study().storage(), config.name(), config.trials().getAsInt());
    }
  }

  /**
   * Creates the study in its storage (or finds it) and stores its definition and a trial target of
   * the trials it has finished plus {@code trialsToRun}: for runners other than {@code tune} (the
   * Spark runner's driver, before its tasks start), so {@code worker} and {@code resume} can join.
   *
   * @param studyFileText the study file's text; a password in a {@code postgresql://} URL in it is
   *     not stored
   */
  public static void record(StudyConfig config, String studyFileText, int trialsToRun) {
    StorageSpec spec =
        config.storage() instanceof StorageSpec.Mlflow m
            ? m.forStudy(config.name())
            : config.storage();
    try (StudyStorage storage = spec.open()) {
      storage.createStudy(config.name(), config.objectives());
      store(storage, config.name(), studyFileText, config.baseDirectory());
      TrialTarget.aimFor(storage, config.name(), trialsToRun);
    }
  }

  private static void store(StudyStorage storage, String study, String text, Path directory) {
    // A password in a postgresql:// URL stays out of the storage (joiners pass --storage anyway).
    storage.setStudyAttr(study, STUDY_FILE, PostgresUrl.redact(text));
    storage.setStudyAttr(study, STUDY_DIR, directory.toAbsolutePath().normalize().toString());
  }

  /**
   * A study to join: its stored definition, in {@code spec}, with the remaining trial count (the
   * stored target less the trials that count now: at most what a joiner can still run, since the
   * study's workers together stop at the target).
   *
   * @param yaml the stored study file's text (its {@code tracking:} section says where to track)
   */
  record Joined(StudyConfig config, String yaml, int finished, OptionalInt remaining) {}

  /**
   * Loads the definition of study {@code name} from {@code spec}. Relative paths in it (the
   * command's files) resolve against {@code directory}, and the objective runs there; without one,
   * in the study file's directory that {@code tune} stored, where it exists on this machine, else
   * in the working directory. The chosen directory is the config's {@link
   * StudyConfig#baseDirectory()}.
   *
   * @param directory {@code --dir}, or {@code null}
   * @throws BadInputException if there is no such study or it has no stored definition
   */
  static Joined load(StorageSpec spec, String name, Path directory) {
    try (StudyStorage store = spec.open()) {
      StudyRecord study =
          store
              .findStudy(name)
              .orElseThrow(
                  () -> {
                    List<String> names = store.studies().stream().map(StudyRecord::name).toList();
                    return new BadInputException(
                        "no study '"
                            + name
                            + "' in "
                            + spec.describe()
                            + Suggestions.hint(name, names)
                            + (names.isEmpty()
                                ? ""
                                : " (studies: " + String.join(", ", names) + ")"));
                  });
      if (!(study.attrs().get(STUDY_FILE) instanceof String yaml)) {
        throw new BadInputException(
            "study '"
                + name
                + "' has no stored study file (only studies started by `knobflow tune` have one);"
                + " run `knobflow tune STUDY.yaml --storage "
                + ShellWords.quote(spec.describe())
                + "` instead");
      }
      if (directory == null) {
        directory =
            study.attrs().get(STUDY_DIR) instanceof String stored
                    && Files.isDirectory(Path.of(stored))
                ? Path.of(stored)
                : Path.of("").toAbsolutePath();
      }
      StudyConfig config;
      try {
        config =
            StudyFileParser.standard()
                .parse(yaml, directory, "the study file stored with study '" + name + "'");
      } catch (StudyFileException e) {
        throw new BadInputException(e.getMessage());
      }
      int finished = TrialTarget.counted(store.trials(name));
      OptionalInt remaining = OptionalInt.empty();
      if (study.attrs().get(TRIALS_TARGET) instanceof Number target) {
        remaining = OptionalInt.of((int) Math.max(0, target.longValue() - finished));
      }
      return new Joined(config.withStorage(spec), yaml, finished, remaining);
    }
  }
}
