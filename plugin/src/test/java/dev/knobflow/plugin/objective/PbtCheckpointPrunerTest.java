package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.plugin.testing.PbtToy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which checkpoints {@link PbtCheckpointPruner} deletes while workers run segments at the same
 * time: never one a segment being decided elsewhere may start from.
 */
class PbtCheckpointPrunerTest {

  /** A store that records what it is asked to delete. */
  private static final class Recording implements CheckpointStore {
    final Set<Integer> deleted = new TreeSet<>();

    @Override
    public void save(Trial trial, Path directory) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Path> restore(Trial trial, Path scratch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(FrozenTrial trial) {
      return deleted.add(trial.number());
    }
  }

  /** A segment of {@code member}; {@code parent} and {@code claim} -1 for none. */
  private static FrozenTrial segment(
      int number, int member, int generation, int claim, int parent, TrialState state) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(PbtScheduler.MEMBER_ATTR, member);
    attrs.put(PbtScheduler.GENERATION_ATTR, generation);
    if (claim >= 0) {
      attrs.put(PbtScheduler.CLAIM_ATTR, claim);
    }
    if (parent >= 0) {
      attrs.put(Checkpoint.PARENT_ATTR, parent);
    }
    boolean done = state != TrialState.RUNNING;
    if (done) {
      attrs.put(Checkpoint.LOCATION_ATTR, "runs:/run/checkpoints/trial-" + number);
    }
    return new FrozenTrial(
        number,
        state,
        done ? List.of(0.1 * number) : List.of(),
        Map.of(),
        Map.of(),
        new TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        attrs,
        2.0 * (generation + 1),
        null,
        null,
        null,
        null);
  }

  @Test
  void keepsWhatAnotherWorkerMayStartFromAndOneCheckpointPerMemberWhenTheRunEnds() {
    Recording store = new Recording();
    PbtCheckpointPruner pruner = new PbtCheckpointPruner(store);
    List<FrozenTrial> trials = new ArrayList<>();
    trials.add(segment(0, 0, 0, -1, -1, TrialState.COMPLETE));
    trials.add(segment(1, 1, 0, -1, -1, TrialState.COMPLETE));
    trials.add(segment(2, 0, 1, 0, 0, TrialState.COMPLETE));
    // Member 1 copied member 0 (trial 2) and runs: its latest result is still trial 1, which a
    // member exploiting member 1 starts from; trial 0 is member 0's latest result to a worker
    // that read the study before trial 2 ended.
    trials.add(segment(3, 1, 1, 1, 2, TrialState.RUNNING));
    pruner.trialFinished(PbtToy.view("pbt", trials), trials.get(2));
    assertEquals(Set.of(), store.deleted);

    // Member 0 ends another segment: no worker still deciding from a view older than trial 2's
    // end starts from trial 0 any more.
    trials.add(segment(4, 0, 2, 2, 2, TrialState.COMPLETE));
    pruner.trialFinished(PbtToy.view("pbt", trials), trials.get(4));
    assertEquals(Set.of(0), store.deleted);

    // Every segment ended and this worker's run is over: one checkpoint per member is left.
    trials.set(3, segment(3, 1, 1, 1, 2, TrialState.COMPLETE));
    pruner.trialFinished(PbtToy.view("pbt", trials), trials.get(3));
    pruner.studyFinished(PbtToy.view("pbt", trials));
    assertEquals(Set.of(0, 1, 2), store.deleted);
  }
}
