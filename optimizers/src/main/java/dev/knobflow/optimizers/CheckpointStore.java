package dev.knobflow.optimizers;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where trials' checkpoint directories live so that every worker of a study can reach them: a
 * shared directory, or a remote store (the MLflow artifact store of the study run, S3 or GCS behind
 * it). A trial writes its state into a local directory; {@link #save} keeps it and records where
 * with the trial ({@link Checkpoint}); a trial that continues another (a PBT segment, a promoted
 * multi-fidelity child) gets the nearest ancestor's checkpoint from {@link #restore}, made local
 * first when the store is remote; {@link #delete} removes a checkpoint no trial can start from any
 * more (PBT prunes with it).
 *
 * <pre>{@code
 * // in a Java objective that checkpoints to files
 * Path scratch = Files.createTempDirectory("restore-");
 * Optional<Path> from = store.restore(trial, scratch); // the parent's state, or empty
 * Path out = Files.createTempDirectory("ckpt-");
 * ... train, write state into out ...
 * store.save(trial, out);
 * }</pre>
 */
public interface CheckpointStore {

  /**
   * Keeps {@code directory}, the finished trial's checkpoint, and records its location with the
   * trial. The directory may be deleted afterwards unless it is where the store keeps it.
   */
  void save(Trial trial, Path directory);

  /**
   * The directory holding the checkpoint {@code trial} starts from (its own, else its nearest
   * ancestor's), readable on this machine: a remote checkpoint is copied into {@code scratch} (an
   * empty directory the caller deletes afterwards) and {@code scratch} is returned.
   *
   * @return empty when neither the trial nor an ancestor saved a checkpoint here
   */
  Optional<Path> restore(Trial trial, Path scratch);

  /**
   * Deletes the checkpoint {@code trial} saved, if this store holds one; deleting what is gone
   * already does nothing.
   *
   * @return whether a checkpoint of this store was found on the trial and deleted
   */
  boolean delete(FrozenTrial trial);
}
