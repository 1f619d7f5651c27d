package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the checkpoint directories of PBT segments that no segment can start from any more
 * ({@link PbtScheduler#checkpointsInUse}), after every finished trial, so a long PBT study keeps
 * about one checkpoint per member on disk instead of one per segment.
 */
public final class PbtCheckpointPruner implements StudyListener {

  private static final Logger LOG = LoggerFactory.getLogger(PbtCheckpointPruner.class);

  private final CheckpointDirectories directories;

  /** A pruner of the directories under {@code directories}' root. */
  public PbtCheckpointPruner(CheckpointDirectories directories) {
    this.directories = directories;
  }

  @Override
  public void trialFinished(StudyView study, FrozenTrial trial) {
    Set<Integer> inUse = PbtScheduler.checkpointsInUse(study);
    for (FrozenTrial t : study.trials()) {
      if (inUse.contains(t.number()) || t.state() == TrialState.RUNNING) {
        continue;
      }
      if (t.systemAttrs().get(Checkpoint.PATH_ATTR) instanceof String path
          && directories.delete(Path.of(path))) {
        LOG.debug(
            "trial {}: deleted its checkpoint {}, no segment starts from it", t.number(), path);
      }
    }
  }
}
