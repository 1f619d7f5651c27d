package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 */
public final class CheckpointDirectories {

  /** The environment variable naming the directory a trial writes its checkpoint into. */
  public static final String CHECKPOINT_DIR_ENV = "KNOBFLOW_CHECKPOINT_DIR";

  /** The environment variable naming the checkpoint directory a trial starts from. */
  public static final String RESTORE_DIR_ENV = "KNOBFLOW_RESTORE_DIR";

  private final Path root;

  private CheckpointDirectories(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Checkpoint directories under {@code root}. */
  public static CheckpointDirectories under(Path root) {
    return new CheckpointDirectories(root);
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
    Path dir = studyDirectory(trial.studyName()).resolve("trial-" + trial.number());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the checkpoint directory " + dir, e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(CHECKPOINT_DIR_ENV, dir.toString());
    Optional<Path> restore = trial.checkpoint().loadFile();
    restore.filter(Files::isDirectory).ifPresent(p -> env.put(RESTORE_DIR_ENV, p.toString()));
    return env;
  }

  /** Records what the command left in its directory as the trial's checkpoint. */
  void afterTrial(Trial trial) {
    if (trial.budget().isEmpty()) {
      return;
    }
    Path dir = studyDirectory(trial.studyName()).resolve("trial-" + trial.number());
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        trial.checkpoint().saveFile(dir);
      } else {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint directory " + dir, e);
    }
  }

  /**
   * Deletes a checkpoint directory that no trial can start from any more; only directories under
   * this root are ever deleted.
   *
   * @return whether something was deleted
   */
  public boolean delete(Path checkpoint) {
    Path dir = checkpoint.toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root) || !Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the checkpoint directory " + dir, e);
    }
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
