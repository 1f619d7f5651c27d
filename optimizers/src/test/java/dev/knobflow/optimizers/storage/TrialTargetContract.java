package dev.knobflow.optimizers.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StudyStorage} contract about the study-wide trial target ({@link
 * TrialTarget}): which trials {@linkplain StudyStorage#trialsOccupyingTarget occupy it}, and that
 * {@linkplain StudyStorage#holdsTargetExactly an exact storage} lets concurrent creators end
 * exactly at it. {@link StudyStorageContract} implements it, so every storage runs these tests.
 */
public interface TrialTargetContract {

  /** A fresh, empty storage, closed after the test. */
  StudyStorage freshStorage() throws Exception;

  /** A second instance over {@code storage}'s data, as another process would open it. */
  StudyStorage reopenedStorage(StudyStorage storage) throws Exception;

  /**
   * Whether the storage under test must {@linkplain StudyStorage#holdsTargetExactly hold the target
   * exactly}; false by default (the storage keeps the documented bound).
   */
  default boolean expectsExactTarget() {
    return false;
  }

  private static List<Objective> one() {
    return List.of(Objective.minimize("loss"));
  }

  @Test
  default void runningAndFinishedTrialsOccupyTheTargetButWaitingAndAbandonedOnesDoNot()
      throws Exception {
    StudyStorage storage = freshStorage();
    storage.createStudy("occupy", one());
    Instant now = Instant.now();
    int waiting = storage.createTrial("occupy", TrialState.WAITING, Map.of()).number();
    int running = storage.createTrial("occupy", TrialState.RUNNING, Map.of()).number();
    // Alive (a heartbeat in the future), so that the stale check below leaves it running.
    storage.heartbeat("occupy", running, now.plus(Duration.ofHours(1)));
    finish(storage, TrialOutcome.complete(List.of(1.0), List.of(), Map.of(), now));
    finish(storage, TrialOutcome.pruned(List.of(2.0), "pruned at step 1", now));
    finish(storage, TrialOutcome.failed("the objective threw: boom", now));
    finish(storage, TrialOutcome.failed("interrupted", now));
    finish(storage, TrialOutcome.failed(TrialTarget.STALE_REASON_PREFIX + " no heartbeat", now));
    // RUNNING, COMPLETE, PRUNED and the FAIL of its own: 4. Not WAITING, interrupted nor stale.
    assertEquals(4, storage.trialsOccupyingTarget("occupy"));

    // A trial failed as stale by failStaleTrials gives its place back.
    int late = storage.createTrial("occupy", TrialState.RUNNING, Map.of()).number();
    assertEquals(5, storage.trialsOccupyingTarget("occupy"));
    StudyStorage judge = reopenedStorage(storage);
    Instant started = judge.trial("occupy", late).started();
    assertEquals(
        List.of(late),
        judge.failStaleTrials("occupy", Duration.ofSeconds(1), started.plusSeconds(60)).stream()
            .map(FrozenTrial::number)
            .toList());
    assertEquals(4, judge.trialsOccupyingTarget("occupy"));

    // Claiming the enqueued trial takes a place.
    assertEquals(waiting, judge.claimWaitingTrial("occupy").orElseThrow().number());
    assertEquals(5, judge.trialsOccupyingTarget("occupy"));
    assertEquals(
        judge.currentTrials("occupy").stream().filter(TrialTarget::occupies).count(),
        judge.trialsOccupyingTarget("occupy"),
        "the same as filtering every trial");
    assertEquals(5, reopenedStorage(judge).trialsOccupyingTarget("occupy"), "after a reopen");
  }

  @Test
  default void trialsAreClaimedAndCreatedOnlyBelowTheTarget() throws Exception {
    StudyStorage storage = freshStorage();
    storage.createStudy("below", one());
    int queued = storage.createTrial("below", TrialState.WAITING, Map.of()).number();
    FrozenTrial created =
        storage.createTrialBelowTarget("below", 1, Map.of("origin", "test")).orElseThrow();
    assertEquals(TrialState.RUNNING, created.state());
    assertEquals("test", storage.trial("below", created.number()).systemAttrs().get("origin"));
    assertTrue(storage.createTrialBelowTarget("below", 1, Map.of()).isEmpty(), "target reached");
    assertTrue(storage.claimWaitingTrialBelowTarget("below", 1).isEmpty(), "target reached");
    assertEquals(TrialState.WAITING, storage.trial("below", queued).state(), "still queued");
    assertEquals(2, storage.trials("below").size(), "nothing created at the target");

    // A trial whose worker was interrupted gives its place to the enqueued one.
    storage.finishTrial(
        "below", created.number(), TrialOutcome.failed("interrupted", Instant.now()));
    FrozenTrial claimed = storage.claimWaitingTrialBelowTarget("below", 1).orElseThrow();
    assertEquals(queued, claimed.number());
    assertEquals(TrialState.RUNNING, claimed.state());
    assertTrue(storage.claimWaitingTrialBelowTarget("below", 5).isEmpty(), "none waiting");
  }

  /**
   * Creators racing for the last places: on a storage that holds the target exactly they end with
   * exactly the target's trials (the enqueued ones claimed first); on any other, never more than
   * one over it per extra creator, the documented bound.
   */
  @Test
  default void concurrentCreatorsEndExactlyAtTheTargetWhereTheStorageHoldsItExactly()
      throws Exception {
    StudyStorage storage = freshStorage();
    assertEquals(expectsExactTarget(), storage.holdsTargetExactly(), "exact?");
    storage.createStudy("race", one());
    int queued = 3;
    for (int i = 0; i < queued; i++) {
      storage.createTrial("race", TrialState.WAITING, Map.of());
    }
    int creators = 4;
    int target = 12;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(creators);
    List<Integer> started = new ArrayList<>();
    try {
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int i = 0; i < creators; i++) {
        Callable<List<Integer>> work =
            () -> {
              go.await();
              List<Integer> mine = new ArrayList<>();
              while (true) {
                Optional<FrozenTrial> t = storage.claimWaitingTrialBelowTarget("race", target);
                if (t.isEmpty()) {
                  t = storage.createTrialBelowTarget("race", target, Map.of());
                }
                if (t.isEmpty()) {
                  return mine;
                }
                mine.add(t.get().number());
                storage.finishTrial(
                    "race",
                    t.get().number(),
                    TrialOutcome.complete(
                        List.of((double) mine.size()), List.of(), Map.of(), Instant.now()));
              }
            };
        futures.add(pool.submit(work));
      }
      go.countDown();
      for (Future<List<Integer>> f : futures) {
        started.addAll(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(started.size(), new HashSet<>(started).size(), "no trial started twice");
    List<FrozenTrial> trials = reopenedStorage(storage).trials("race");
    long complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
    if (storage.holdsTargetExactly()) {
      assertEquals(target, started.size(), "started: " + started);
      assertEquals(target, complete);
      assertEquals(IntStream.range(0, target).boxed().toList(), started.stream().sorted().toList());
      assertTrue(
          trials.stream().noneMatch(t -> t.state() == TrialState.WAITING), "queued ones claimed");
    } else {
      assertTrue(started.size() >= target, "reached: " + started.size());
      assertTrue(started.size() <= target + creators - 1, "bound: " + started.size());
    }
  }

  private static void finish(StudyStorage storage, TrialOutcome outcome) {
    int n = storage.createTrial("occupy", TrialState.RUNNING, Map.of()).number();
    storage.finishTrial("occupy", n, outcome);
  }
}
