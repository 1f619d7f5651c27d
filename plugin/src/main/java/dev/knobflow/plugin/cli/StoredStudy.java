package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.Suggestions;
import dev.knobflow.plugin.report.StudyData;
import java.util.List;
import java.util.Optional;

/** Reads one study and its trials from a {@code --storage} for the read-only commands. */
final class StoredStudy {

  private StoredStudy() {}

  /**
   * The study {@code name} in the existing storage {@code storage}.
   *
   * @throws BadInputException if the storage or the study does not exist
   */
  static StudyData load(String storage, String name) {
    StorageSpec existing = StorageOption.existing(storage);
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
      List<FrozenTrial> trials = store.trials(name);
      return StudyData.of(found.get(), trials);
    }
  }
}
