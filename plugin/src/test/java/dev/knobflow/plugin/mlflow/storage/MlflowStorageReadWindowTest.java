package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.RecordingProxy;
import dev.knobflow.plugin.tracking.MlflowConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a worker asks the server for: trial creation reads no run back, and incremental reads ask
 * only for trial runs past the settled window, yet still see trials that finish out of order.
 */
@Tag("mlflow")
class MlflowStorageReadWindowTest {

  private static final String STUDY = "window";
  private static final List<Objective> LOSS = List.of(Objective.minimize("loss"));

  /** Reads always ask the server (no staleness) and never fall back to a full re-list. */
  private static final MlflowStorageOptions INCREMENTAL_ONLY =
      new MlflowStorageOptions(
          Duration.ZERO,
          Duration.ofHours(1),
          Duration.ofSeconds(10),
          Duration.ofMinutes(1),
          Duration.ofMinutes(1));

  private final String experiment = "window-" + UUID.randomUUID().toString().substring(0, 8);

  private static TrialOutcome done(double loss) {
    return TrialOutcome.complete(List.of(loss), List.of(), Map.of(), Instant.now());
  }

  @Test
  void creatingATrialCreatesOneRunAndReadsNoRunBack() {
    MlflowTestServer server = MlflowTestServer.shared();
    try (RecordingProxy proxy = RecordingProxy.to(server.port());
        MlflowStudyStorage storage =
            MlflowStudyStorage.open(MlflowConnection.of(proxy.uri()), experiment)) {
      storage.createStudy(STUDY, LOSS);
      storage.createTrial(STUDY, TrialState.RUNNING, Map.of()); // loads the study first
      proxy.reset();
      int number = storage.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
      assertEquals(1, number);
      assertEquals(1, proxy.count("/runs/create"), proxy.requests().toString());
      assertEquals(0, proxy.count("/runs/get"), proxy.requests().toString());
    }
  }

  @Test
  void onceTrialsAreFinishedAnIncrementalReadAsksOnlyForLaterTickets() throws Exception {
    MlflowTestServer server = MlflowTestServer.shared();
    try (RecordingProxy proxy = RecordingProxy.to(server.port());
        MlflowStudyStorage storage =
            MlflowStudyStorage.open(
                MlflowConnection.of(proxy.uri()), experiment, INCREMENTAL_ONLY)) {
      storage.createStudy(STUDY, LOSS);
      for (int i = 0; i < 5; i++) {
        int n = storage.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
        storage.finishTrial(STUDY, n, done(n));
        storage.trials(STUDY);
      }
      proxy.reset();
      List<FrozenTrial> trials = storage.trials(STUDY);
      assertEquals(5, trials.size());
      assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
      List<RecordingProxy.Seen> searches =
          proxy.requests().stream().filter(r -> r.path().endsWith("/runs/search")).toList();
      assertEquals(1, searches.size(), proxy.requests().toString());
      // One worker: tickets are 0..4, all settled, so the read starts after ticket 4.
      String filter = new ObjectMapper().readTree(searches.get(0).body()).path("filter").asText();
      assertTrue(filter.endsWith("AND metrics.`knobflow.ticket` > 4"), filter);
    }
  }

  @Test
  void aTrialFinishingAfterLaterTrialsIsStillSeenByAnIncrementalRead() {
    MlflowConnection connection = MlflowConnection.of(MlflowTestServer.shared().trackingUri());
    try (MlflowStudyStorage slow = MlflowStudyStorage.open(connection, experiment);
        MlflowStudyStorage fast =
            MlflowStudyStorage.open(connection, experiment, INCREMENTAL_ONLY)) {
      slow.createStudy(STUDY, LOSS);
      int first = slow.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
      for (int i = 0; i < 3; i++) {
        int n = fast.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
        fast.finishTrial(STUDY, n, done(n));
        assertEquals(TrialState.RUNNING, state(fast.trials(STUDY), first));
      }
      slow.finishTrial(STUDY, first, done(42));
      slow.flush();
      List<FrozenTrial> seen = fast.trials(STUDY);
      assertEquals(4, seen.size());
      assertEquals(TrialState.COMPLETE, state(seen, first));
      assertEquals(List.of(42.0), find(seen, first).values());
      // Now the window can move past every trial: a later finish is still seen.
      int last = slow.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
      assertEquals(TrialState.RUNNING, state(fast.trials(STUDY), last));
      slow.finishTrial(STUDY, last, done(7));
      slow.flush();
      assertEquals(TrialState.COMPLETE, state(fast.trials(STUDY), last));
    }
  }

  private static TrialState state(List<FrozenTrial> trials, int number) {
    return find(trials, number).state();
  }

  private static FrozenTrial find(List<FrozenTrial> trials, int number) {
    return trials.stream().filter(t -> t.number() == number).findFirst().orElseThrow();
  }
}
