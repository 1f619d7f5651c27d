package dev.knobflow.optimizers;

import dev.knobflow.optimizers.storage.StudyStorage;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a trial saved to resume from, stored with the trial in the study's storage, so a trial that
 * a multi-fidelity scheduler continues at a larger budget (a "child" whose system attribute {@value
 * #PARENT_ATTR} names its parent) can start from its parent's state.
 *
 * <p>Two forms: small payloads as bytes (base64 in the system attribute {@value #BYTES_ATTR}, at
 * most {@link #MAX_BYTES} bytes, because every storage keeps attributes in memory and the journal
 * writes them as one JSON line), and larger state as a file the objective wrote itself, of which
 * only the path is stored ({@value #PATH_ATTR}); the file must be readable by whichever worker
 * loads it. State kept by a {@link CheckpointStore} elsewhere (MLflow artifacts) is recorded by its
 * location ({@value #LOCATION_ATTR}). Saving again replaces the previous checkpoint of that form.
 *
 * <p>Loading looks at the trial itself first, then its parent, its parent's parent and so on, and
 * returns the nearest checkpoint of the requested form.
 */
public final class Checkpoint {

  /** System attribute holding a base64 payload. */
  public static final String BYTES_ATTR = "checkpoint";

  /** System attribute holding a checkpoint file's absolute path. */
  public static final String PATH_ATTR = "checkpoint_path";

  /**
   * System attribute holding the location of a checkpoint kept by a {@link CheckpointStore} that is
   * not a path every worker can read (e.g. {@code runs:/<run id>/checkpoints/trial-7}, MLflow).
   */
  public static final String LOCATION_ATTR = "checkpoint_location";

  /** System attribute naming the trial this one continues (set by schedulers). */
  public static final String PARENT_ATTR = "parent_trial";

  /** The largest byte payload stored in an attribute (1 MiB); larger state belongs in a file. */
  public static final int MAX_BYTES = 1 << 20;

  private final StudyStorage storage;
  private final String study;
  private final int number;

  Checkpoint(StudyStorage storage, String study, int number) {
    this.storage = storage;
    this.study = study;
    this.number = number;
  }

  /** Saves {@code data} as this trial's checkpoint. */
  public void save(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "checkpoint: "
              + data.length
              + " bytes is more than the "
              + MAX_BYTES
              + " bytes stored with a trial; write the state to a file and use saveFile(path)");
    }
    storage.setSystemAttr(study, number, BYTES_ATTR, Base64.getEncoder().encodeToString(data));
  }

  /** Records {@code file} (made absolute) as this trial's checkpoint file. */
  public void saveFile(Path file) {
    Objects.requireNonNull(file, "file");
    storage.setSystemAttr(study, number, PATH_ATTR, file.toAbsolutePath().toString());
  }

  /**
   * Records {@code location}, where a {@link CheckpointStore} keeps this trial's checkpoint (a URI
   * of the store's own, not a local path).
   */
  public void saveLocation(String location) {
    Objects.requireNonNull(location, "location");
    storage.setSystemAttr(study, number, LOCATION_ATTR, location);
  }

  /** The nearest stored checkpoint location: this trial's, else its nearest ancestor's. */
  public Optional<String> loadLocation() {
    return nearest(LOCATION_ATTR);
  }

  /** The nearest byte checkpoint: this trial's, else its nearest ancestor's. */
  public Optional<byte[]> load() {
    return nearest(BYTES_ATTR).map(v -> Base64.getDecoder().decode(v));
  }

  /** The nearest checkpoint file: this trial's, else its nearest ancestor's. */
  public Optional<Path> loadFile() {
    return nearest(PATH_ATTR).map(Path::of);
  }

  /** The trial this one continues, if a scheduler promoted it from one. */
  public OptionalInt parent() {
    return parentOf(storage.trial(study, number));
  }

  private Optional<String> nearest(String key) {
    Set<Integer> seen = new HashSet<>();
    FrozenTrial current = storage.trial(study, number);
    while (seen.add(current.number())) {
      Object value = current.systemAttrs().get(key);
      if (value instanceof String s) {
        return Optional.of(s);
      }
      OptionalInt parent = parentOf(current);
      if (parent.isEmpty()) {
        break;
      }
      current = storage.trial(study, parent.getAsInt());
    }
    return Optional.empty();
  }

  private static OptionalInt parentOf(FrozenTrial trial) {
    Object parent = trial.systemAttrs().get(PARENT_ATTR);
    return parent instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
  }
}
