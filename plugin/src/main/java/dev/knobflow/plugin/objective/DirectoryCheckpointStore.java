package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints kept in a directory every worker reads at the same path (a local disk for one
 * machine, a shared file system for several): a trial's checkpoint is recorded by its absolute path
 * ({@link Checkpoint#saveFile}) and restored in place, without copying. A checkpoint written
 * elsewhere is copied to {@code <root>/<study>/trial-<number>} first. Only directories under the
 * root are ever deleted.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {

  private final Path root;

  private DirectoryCheckpointStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** A store keeping checkpoints under {@code root}. */
  public static DirectoryCheckpointStore under(Path root) {
    return new DirectoryCheckpointStore(root);
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public void save(Trial trial, Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root)) {
      Path kept =
          root.resolve(CheckpointDirectories.safeName(trial.studyName()))
              .resolve("trial-" + trial.number());
      copy(dir, kept);
      dir = kept;
    }
    trial.checkpoint().saveFile(dir);
  }

  @Override
  public Optional<Path> restore(Trial trial, Path scratch) {
    return trial.checkpoint().loadFile().filter(Files::isDirectory);
  }

  @Override
  public boolean delete(FrozenTrial trial) {
    return trial.systemAttrs().get(Checkpoint.PATH_ATTR) instanceof String path
        && delete(Path.of(path));
  }

  /**
   * Deletes a checkpoint directory under this root.
   *
   * @return whether something was deleted
   */
  boolean delete(Path checkpoint) {
    Path dir = checkpoint.toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root) || !Files.isDirectory(dir)) {
      return false;
    }
    deleteTree(dir);
    return true;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the checkpoint directory " + dir, e);
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      List<Path> files = walk.filter(Files::isRegularFile).toList();
      for (Path file : files) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the checkpoint " + from + " to " + to, e);
    }
  }
}
