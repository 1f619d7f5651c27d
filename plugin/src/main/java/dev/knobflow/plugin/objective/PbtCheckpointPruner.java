package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the checkpoints of PBT segments that no segment can start from any more ({@link
 * PbtScheduler#checkpointsInUse}), after every finished trial, so a long PBT study keeps about one
 * checkpoint per member in its {@link CheckpointStore} (a shared directory, the study run's MLflow
 * artifacts) instead of one per segment. Any worker may prune; each asks the store once per trial.
 *
 * <pre>{@code
 * Study.builder("pbt").scheduler(PbtScheduler.create(settings))
 *     .listener(new PbtCheckpointPruner(store))
 *     ...
 * }</pre>
 */
public final class PbtCheckpointPruner implements StudyListener {

  private static final Logger LOG = LoggerFactory.getLogger(PbtCheckpointPruner.class);

  private final CheckpointStore store;
  private final Set<Integer> pruned = ConcurrentHashMap.newKeySet();

  /** A pruner of the checkpoints {@code store} keeps. */
  public PbtCheckpointPruner(CheckpointStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** A pruner of the checkpoints kept by {@code directories}' store. */
  public PbtCheckpointPruner(CheckpointDirectories directories) {
    this(directories.store());
  }

  @Override
  public void trialFinished(StudyView study, FrozenTrial trial) {
    Set<Integer> inUse = PbtScheduler.checkpointsInUse(study);
    for (FrozenTrial t : study.trials()) {
      if (inUse.contains(t.number()) || t.state() == TrialState.RUNNING) {
        continue;
      }
      if (pruned.add(t.number()) && store.delete(t)) {
        LOG.debug("trial {}: deleted its checkpoint, no segment starts from it", t.number());
      }
    }
  }
}
