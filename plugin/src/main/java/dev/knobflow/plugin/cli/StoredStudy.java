package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.Suggestions;
import dev.knobflow.plugin.report.StudyData;
import java.util.List;
import java.util.Optional;

/**
 * One study and its trials, read from a {@code --storage} for the read-only commands ({@code show},
 * {@code report}, {@code importance}).
 *
 * @param study the study as stored
 * @param trials its trials in number order
 * @param storage a description of the storage it was read from
 */
record StoredStudy(StudyRecord study, List<FrozenTrial> trials, String storage) {

  /**
   * The study {@code name} in the existing storage {@code storage}.
   *
   * @throws BadInputException if the storage or the study does not exist
   */
  static StoredStudy load(String storage, TrackingOptions tracking, String name) {
    return load(StorageOption.existing(storage), tracking, name);
  }

  /** The study {@code name} in {@code spec} (a study file's storage, with {@code --config}). */
  static StoredStudy load(StorageSpec spec, TrackingOptions tracking, String name) {
    StorageSpec existing = tracking.apply(spec);
    if (existing instanceof StorageSpec.Mlflow m) {
      existing = m.forStudy(name);
    }
    try (StudyStorage store = existing.open()) {
      Optional<StudyRecord> found = store.findStudy(name);
      if (found.isEmpty()) {
        List<String> names = store.studies().stream().map(StudyRecord::name).toList();
        throw new BadInputException(
            "no study '"
                + name
                + "' in "
                + existing.describe()
                + Suggestions.hint(name, names)
                + (names.isEmpty()
                    ? " (it holds no studies)"
                    : " (studies: " + String.join(", ", names) + ")"));
      }
      return new StoredStudy(found.get(), store.trials(name), existing.describe());
    }
  }

  /** The study as the report and importance code takes it. */
  StudyData data() {
    return StudyData.of(study, trials);
  }
}
