package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.WriterOptions;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.RecordingProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a worker asks the server for: trial creation reads no run back, a short trial costs four
 * requests, the study run's best-so-far points ride with number claims, a lost claim costs no read
 * unless the worker is more than one number behind, and incremental reads ask only for trial runs
 * past the settled window, yet still see trials that finish out of order.
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
          Duration.ofSeconds(1),
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
      // The number's claim (a write-once param on the study run) and the run, nothing else.
      assertEquals(1, proxy.count("/runs/log-batch"), proxy.requests().toString());
      assertEquals(1, proxy.count("/runs/create"), proxy.requests().toString());
      assertEquals(2, proxy.requests().size(), proxy.requests().toString());
    }
  }

  /**
   * A short trial's whole life, from creation to its durable finish: claim, create, one request
   * that finishes it with its params and intermediate values, and the run's termination.
   */
  @Test
  void aShortTrialCostsFourRequests() {
    MlflowTestServer server = MlflowTestServer.shared();
    try (RecordingProxy proxy = RecordingProxy.to(server.port());
        MlflowStudyStorage storage =
            MlflowStudyStorage.open(
                MlflowConnection.of(proxy.uri()),
                experiment,
                MlflowStorageOptions.defaults().withWriteHold(Duration.ofMinutes(5)))) {
      storage.createStudy(STUDY, LOSS);
      storage.createTrial(STUDY, TrialState.RUNNING, Map.of()); // loads the study first
      proxy.reset();
      int n = storage.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
      storage.setParam(STUDY, n, "x", FloatDistribution.of(0, 1), 0.25);
      storage.reportIntermediate(STUDY, n, 0, List.of(3.0));
      storage.reportIntermediate(STUDY, n, 1, List.of(2.0));
      storage.setUserAttr(STUDY, n, "note", "short");
      storage.finishTrial(STUDY, n, done(1.0));
      assertEquals(4, proxy.requests().size(), proxy.requests().toString());
      assertEquals(2, proxy.count("/runs/log-batch"), proxy.requests().toString());
      assertEquals(1, proxy.count("/runs/update"), proxy.requests().toString());
    }
    // Everything reached the server with the finish.
    try (MlflowStudyStorage reader =
        MlflowStudyStorage.open(
            MlflowConnection.of(MlflowTestServer.shared().trackingUri()), experiment)) {
      FrozenTrial t = find(reader.trials(STUDY), 1);
      assertEquals(TrialState.COMPLETE, t.state());
      assertEquals(Map.of("x", 0.25), t.params());
      assertEquals(List.of(2.0), t.intermediateValues().get(1L));
      assertEquals("short", t.userAttrs().get("note"));
      assertEquals(List.of(1.0), t.values());
    }
  }

  /**
   * The tracking listener's best-so-far point for the study run waits for the worker's next number
   * claim, a request to the study run it sends anyway, even when the worker reads the others'
   * trials in between (that read flushes the trials' writes first, and used to send the point in a
   * request of its own).
   */
  @Test
  void theStudyRunsBestSoFarPointRidesWithTheNextClaimThroughAReadOfTheTrials() {
    MlflowTestServer server = MlflowTestServer.shared();
    String studyRunId;
    try (RecordingProxy proxy = RecordingProxy.to(server.port());
        MlflowStudyStorage storage =
            MlflowStudyStorage.open(
                MlflowConnection.of(proxy.uri()),
                experiment,
                INCREMENTAL_ONLY.withWriteHold(Duration.ofMinutes(5)))) {
      storage.createStudy(STUDY, LOSS);
      int first = storage.createTrial(STUDY, TrialState.RUNNING, Map.of()).number();
      storage.finishTrial(STUDY, first, done(3.0));
      studyRunId = storage.studyRunId(STUDY).orElseThrow();
      storage.logStudyRunMetrics(STUDY, Map.of("best/loss", 3.0), 0);
      proxy.reset();
      storage.trials(STUDY); // a zero read staleness: always asks the server
      assertEquals(1, proxy.count("/runs/search"), proxy.requests().toString());
      assertEquals(0, proxy.count("/runs/log-batch"), proxy.requests().toString());
      storage.createTrial(STUDY, TrialState.RUNNING, Map.of());
      assertEquals(1, proxy.count("/runs/log-batch"), proxy.requests().toString());
      assertEquals(3, proxy.requests().size(), proxy.requests().toString());
    }
    assertEquals(List.of(3.0), bestSoFar(studyRunId));
  }

  /** A point that no claim takes reaches the study run all the same: with flush, or by its age. */
  @Test
  void aBestSoFarPointWithoutALaterClaimIsSentByFlushOrAfterTheWriteHold() {
    MlflowConnection connection = MlflowConnection.of(MlflowTestServer.shared().trackingUri());
    try (MlflowStudyStorage flushed =
            MlflowStudyStorage.open(
                connection,
                experiment,
                MlflowStorageOptions.defaults().withWriteHold(Duration.ofMinutes(5)));
        MlflowStudyStorage aged =
            MlflowStudyStorage.open(
                connection,
                experiment + "-aged",
                MlflowStorageOptions.defaults().withWriteHold(Duration.ofMillis(200)))) {
      flushed.createStudy(STUDY, LOSS);
      flushed.logStudyRunMetrics(STUDY, Map.of("best/loss", 5.0), 0);
      flushed.flush();
      assertEquals(List.of(5.0), bestSoFar(flushed.studyRunId(STUDY).orElseThrow()));

      aged.createStudy(STUDY, LOSS);
      aged.logStudyRunMetrics(STUDY, Map.of("best/loss", 4.0), 0);
      String agedRun = aged.studyRunId(STUDY).orElseThrow();
      // Nothing flushes or claims here: the storage's own hold clock must send it.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bestSoFar(agedRun).equals(List.of(4.0)));
    }
  }

  /**
   * A worker that lost the number it claimed is mostly one behind (it read just before): it tries
   * the next number without reading; only a second lost claim makes it read the claims.
   */
  @Test
  void aLostClaimTriesTheNextNumberAndOnlyASecondLossReadsTheStudy() {
    MlflowTestServer server = MlflowTestServer.shared();
    MlflowConnection direct = MlflowConnection.of(server.trackingUri());
    try (RecordingProxy proxy = RecordingProxy.to(server.port());
        MlflowStudyStorage ahead = MlflowStudyStorage.open(direct, experiment);
        MlflowStudyStorage behind =
            MlflowStudyStorage.open(MlflowConnection.of(proxy.uri()), experiment)) {
      ahead.createStudy(STUDY, LOSS);
      behind.createStudy(STUDY, LOSS); // knows the study, none of its trials
      ahead.createTrial(STUDY, TrialState.RUNNING, Map.of()); // takes number 0
      proxy.reset();
      assertEquals(1, behind.createTrial(STUDY, TrialState.RUNNING, Map.of()).number());
      // Number 0 refused, number 1 won, the run: no read.
      assertEquals(2, proxy.count("/runs/log-batch"), proxy.requests().toString());
      assertEquals(0, proxy.count("/runs/search"), proxy.requests().toString());

      ahead.flush();
      for (int i = 0; i < 3; i++) {
        ahead.createTrial(STUDY, TrialState.RUNNING, Map.of()); // 2, 3, 4
      }
      proxy.reset();
      assertEquals(5, behind.createTrial(STUDY, TrialState.RUNNING, Map.of()).number());
      // 2 and 3 refused, then one read brings every claim, and 5 is won at once.
      assertEquals(3, proxy.count("/runs/log-batch"), proxy.requests().toString());
      assertEquals(1, proxy.count("/runs/search"), proxy.requests().toString());
    }
  }

  private static List<Double> bestSoFar(String studyRunId) {
    try (MlflowTracking tracking =
        MlflowTracking.open(
            MlflowConnection.of(MlflowTestServer.shared().trackingUri()),
            WriterOptions.defaults())) {
      return tracking.runs().metricHistory(studyRunId, "best/loss").stream()
          .map(MetricPoint::value)
          .toList();
    }
  }

  @Test
  void onceTrialsAreFinishedAnIncrementalReadAsksOnlyForLaterNumbers() throws Exception {
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
      // Trials 0..4 are all settled, so the read starts after number 4.
      String filter = new ObjectMapper().readTree(searches.get(0).body()).path("filter").asText();
      assertTrue(filter.endsWith("AND metrics.`knobflow.number` > 4"), filter);
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
      // Incremental reads filter on the number metric, which rides with the trial's first writes
      // (held up to writeHold, sent at once by flush).
      slow.flush();
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
