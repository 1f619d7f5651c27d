package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoint protocol of command objectives: one directory per trial under a root that every
 * worker can reach (a shared file system for workers on several machines).
 *
 * <p>A trial that a scheduler granted a budget (multi-fidelity schedulers and PBT, whose trials
 * continue earlier ones) gets {@code KNOBFLOW_CHECKPOINT_DIR}, an empty directory to write its
 * state into before it exits, and, when the trial continues another one, {@code
 * KNOBFLOW_RESTORE_DIR}, the directory holding the state to start from (the nearest ancestor's). A
 * directory the command leaves non-empty becomes the trial's checkpoint ({@code
 * trial.checkpoint().saveFile(dir)}); an empty one is removed. Directories are named {@code
 * <root>/<study>/trial-<number>}, the study's name reduced to a safe file name.
 *
 * <p>Where finished checkpoints are kept is a {@link CheckpointStore}: by default a {@link
 * DirectoryCheckpointStore} on the same root, so the trial's directory is its checkpoint and the
 * root must be shared by workers on several machines; with another store ({@link #storedIn}, e.g.
 * the MLflow artifacts of the study run) the root is only local scratch: a finished directory is
 * handed to the store and deleted, and the checkpoint a trial starts from is fetched into {@code
 * <root>/<study>/restore-<number>} for the length of the trial.
 */
public final class CheckpointDirectories {

  /** The environment variable naming the directory a trial writes its checkpoint into. */
  public static final String CHECKPOINT_DIR_ENV = "KNOBFLOW_CHECKPOINT_DIR";

  /** The environment variable naming the checkpoint directory a trial starts from. */
  public static final String RESTORE_DIR_ENV = "KNOBFLOW_RESTORE_DIR";

  private final Path root;
  private final CheckpointStore store;
  private final boolean inPlace;

  private CheckpointDirectories(Path root, CheckpointStore store) {
    this.root = root.toAbsolutePath().normalize();
    this.store = store == null ? DirectoryCheckpointStore.under(this.root) : store;
    this.inPlace =
        this.store instanceof DirectoryCheckpointStore d && this.root.startsWith(d.root());
  }

  /** Checkpoint directories under {@code root}, kept there (a {@link DirectoryCheckpointStore}). */
  public static CheckpointDirectories under(Path root) {
    return new CheckpointDirectories(root, null);
  }

  /**
   * The same local directories, with finished checkpoints kept by {@code store} instead; the root
   * then only holds the running trials' directories.
   */
  public CheckpointDirectories storedIn(CheckpointStore store) {
    return new CheckpointDirectories(root, java.util.Objects.requireNonNull(store, "store"));
  }

  /** Where finished checkpoints are kept. */
  public CheckpointStore store() {
    return store;
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /** The directory of a study's checkpoints. */
  public Path studyDirectory(String study) {
    return root.resolve(safeName(study));
  }

  /** The environment for a trial: empty unless a scheduler granted it a budget. */
  Map<String, String> environmentFor(Trial trial) {
    if (trial.budget().isEmpty()) {
      return Map.of();
    }
    Path dir = trialDirectory(trial);
    Path scratch = restoreDirectory(trial);
    try {
      Files.createDirectories(dir);
      DirectoryCheckpointStore.deleteTree(scratch);
      Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the checkpoint directory " + dir, e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(CHECKPOINT_DIR_ENV, dir.toString());
    Optional<Path> restore = store.restore(trial, scratch);
    if (restore.isEmpty() || !restore.get().equals(scratch)) {
      DirectoryCheckpointStore.deleteTree(scratch);
    }
    restore.filter(Files::isDirectory).ifPresent(p -> env.put(RESTORE_DIR_ENV, p.toString()));
    return env;
  }

  /** Records what the command left in its directory as the trial's checkpoint. */
  void afterTrial(Trial trial) {
    if (trial.budget().isEmpty()) {
      return;
    }
    Path dir = trialDirectory(trial);
    if (!Files.isDirectory(dir)) {
      return;
    }
    boolean written;
    try (Stream<Path> entries = Files.list(dir)) {
      written = entries.findAny().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint directory " + dir, e);
    }
    if (written) {
      store.save(trial, dir);
    }
    if (!written || !inPlace) {
      DirectoryCheckpointStore.deleteTree(dir);
    }
  }

  /**
   * After the trial, whatever happened to it: removes the fetched restore directory and, with a
   * store other than the directory itself, the trial's local directory.
   */
  void release(Trial trial) {
    if (trial.budget().isEmpty()) {
      return;
    }
    DirectoryCheckpointStore.deleteTree(restoreDirectory(trial));
    if (!inPlace) {
      DirectoryCheckpointStore.deleteTree(trialDirectory(trial));
    }
  }

  private Path trialDirectory(Trial trial) {
    return studyDirectory(trial.studyName()).resolve("trial-" + trial.number());
  }

  private Path restoreDirectory(Trial trial) {
    return studyDirectory(trial.studyName()).resolve("restore-" + trial.number());
  }

  /**
   * A study name as one safe path segment: letters, digits, '-', '_' and '.' are kept, anything
   * else becomes '_', and a name that had to change (or is empty, '.' or '..') gets a short hash of
   * the original so that two names never share a directory.
   */
  static String safeName(String name) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      b.append(ok || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    String s = b.toString();
    boolean changed = !s.equals(name) || s.isEmpty() || s.chars().allMatch(c -> c == '.');
    if (!changed) {
      return s;
    }
    int hash = 0;
    for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
      hash = 31 * hash + x;
    }
    return s.replace('.', '_') + "-" + Integer.toHexString(hash);
  }
}
