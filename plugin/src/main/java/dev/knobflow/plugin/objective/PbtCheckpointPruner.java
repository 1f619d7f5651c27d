package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the checkpoints of PBT segments that no segment can start from any more ({@link
 * PbtScheduler#checkpointsInUse}), so a long PBT study keeps about one checkpoint per member in its
 * {@link CheckpointStore} (a shared directory, the study run's MLflow artifacts) instead of one per
 * segment. Any worker may prune; each asks the store once per trial.
 *
 * <p><b>Several workers at once.</b> A worker decides a segment's parent from the trials it read,
 * then creates the segment; in between, another worker may finish a segment and prune. So while the
 * study runs ({@link #trialFinished}), a checkpoint is kept as long as a view older by one finished
 * segment per member would still start from it: each member's latest finished segment and the one
 * before it. A worker's decision would have to be older than a whole segment of the member it
 * copies for its parent to be gone. When a worker's run ends ({@link #studyFinished}) the strict
 * rule applies: with no segment left to start, one checkpoint per member remains.
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
    List<FrozenTrial> trials = study.trials();
    Set<Integer> inUse = new HashSet<>(PbtScheduler.checkpointsInUse(trials));
    inUse.addAll(PbtScheduler.checkpointsInUse(beforeLatestResults(trials)));
    prune(trials, inUse);
  }

  @Override
  public void studyFinished(StudyView study) {
    List<FrozenTrial> trials = study.trials();
    prune(trials, PbtScheduler.checkpointsInUse(trials));
  }

  private void prune(List<FrozenTrial> trials, Set<Integer> inUse) {
    for (FrozenTrial t : trials) {
      if (inUse.contains(t.number())
          || t.state() == TrialState.RUNNING
          || t.state() == TrialState.WAITING) {
        continue;
      }
      if (pruned.add(t.number()) && store.delete(t)) {
        LOG.debug("trial {}: deleted its checkpoint, no segment starts from it", t.number());
      }
    }
  }

  /**
   * The study's trials as a worker that read them before each member's latest finished segment
   * ended saw them: without those segments.
   */
  static List<FrozenTrial> beforeLatestResults(List<FrozenTrial> trials) {
    Map<Integer, FrozenTrial> latest = new HashMap<>();
    for (FrozenTrial t : trials) {
      if (t.systemAttrs().get(PbtScheduler.MEMBER_ATTR) instanceof Number member
          && !t.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR)
          && finished(t)
          && !(t.state() == TrialState.FAIL && TrialTarget.abandoned(t.failReason()))) {
        latest.merge(member.intValue(), t, (a, b) -> generation(a) >= generation(b) ? a : b);
      }
    }
    Set<Integer> hidden = new HashSet<>();
    latest.values().forEach(t -> hidden.add(t.number()));
    return trials.stream().filter(t -> !hidden.contains(t.number())).toList();
  }

  private static boolean finished(FrozenTrial t) {
    return t.state() == TrialState.COMPLETE
        || t.state() == TrialState.PRUNED
        || t.state() == TrialState.FAIL;
  }

  private static int generation(FrozenTrial t) {
    return t.systemAttrs().get(PbtScheduler.GENERATION_ATTR) instanceof Number g ? g.intValue() : 0;
  }
}
