package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.mlflowrest.WriterOptions;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.time.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("mlflow")
class MlflowTrackingListenerServerTest {

  static final List<Objective> TWO =
      List.of(
          new Objective("accuracy", Direction.MAXIMIZE),
          new Objective("latency_ms", Direction.MINIMIZE));

  static final SearchSpace SPACE =
      SearchSpace.builder()
          .add("lr", new FloatDistribution(1e-4, 1e-1, true, 0))
          .add("depth", new IntDistribution(2, 8, false, 1))
          .add("booster", CategoricalDistribution.of(List.of("gbtree", "dart")))
          .build();

  private static MlflowTracking tracking;

  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    tracking = open(MlflowTestServer.shared().trackingUri());
  }

  @AfterAll
  static void disconnect() {
    tracking.close();
  }

  static MlflowTracking open(String uri) {
    return MlflowTracking.open(
        MlflowConnection.of(uri),
        WriterOptions.builder()
            .retry(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(800), 2.0, 0.5))
            .linger(Duration.ofMillis(50))
            .closeTimeout(Duration.ofSeconds(30))
            .build());
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Three steps of both objectives; trial 2 fails, trial 4 is pruned after its steps. */
  static ObjectiveFunction twoObjectives() {
    return trial -> {
      double lr = trial.suggestFloat("lr", 1e-4, 1e-1, true);
      long depth = trial.suggestInt("depth", 2, 8);
      trial.suggestCategorical("booster", List.of("gbtree", "dart"));
      if (trial.number() == 2) {
        throw new IllegalStateException("out of memory on purpose");
      }
      for (int step = 0; step < 3; step++) {
        trial.report(step, 0.5 + step * 0.1 + lr, 10.0 - step + depth);
      }
      if (trial.number() == 4) {
        throw new TrialPrunedException("pruned on purpose");
      }
      return TrialResult.ofNamed(Map.of("accuracy", 0.8 + lr, "latency_ms", 1.0 + depth))
          .withMetrics(Map.of("energy_wh", 0.25 * depth));
    };
  }

  static Study study(String name, StudyStorage storage, MlflowTrackingListener listener) {
    Study.Builder b =
        Study.builder(name)
            .objectives(TWO)
            .space(SPACE)
            .storage(storage)
            .sampler(RandomSampler.create())
            .seed(7);
    if (listener != null) {
      b.listener(listener);
    }
    return b.build();
  }

  static List<RunRecord> trialRuns(String experimentId, String study) {
    return tracking.runs().searchRuns(List.of(experimentId), KnobflowTags.trialRunFilter(study));
  }

  static Map<Integer, RunRecord> byNumber(List<RunRecord> runs) {
    Map<Integer, RunRecord> out = new HashMap<>();
    for (RunRecord r : runs) {
      RunRecord previous = out.put(Integer.parseInt(r.tags().get(KnobflowTags.TRIAL)), r);
      if (previous != null) {
        throw new AssertionError("two runs for trial " + r.tags().get(KnobflowTags.TRIAL));
      }
    }
    return out;
  }

  @Test
  void studyIsAParentRunAndEachTrialAChildRunWithParamsSteppedMetricsAndMappedState() {
    String name = unique("two-objectives");
    MlflowTrackingListener listener;
    try (MlflowTrackingListener l =
        MlflowTrackingListener.builder(tracking, name, TWO)
            .sampler("random")
            .seed(7L)
            .metaFeatures(Map.of("rows", 150.0))
            .build()) {
      listener = l;
      Study study = study(name, dev.knobflow.optimizers.storage.InMemoryStorage.create(), l);
      study.optimize(twoObjectives(), OptimizeOptions.trials(6));
    }

    RunRecord parent = tracking.runs().getRun(listener.parentRunId());
    assertEquals(name, parent.runName());
    assertEquals("FINISHED", parent.status());
    assertEquals(name, parent.tags().get(KnobflowTags.STUDY));
    assertEquals("accuracy,latency_ms", parent.tags().get(KnobflowTags.OBJECTIVES));
    assertEquals("maximize,minimize", parent.tags().get(KnobflowTags.DIRECTIONS));
    assertEquals("random", parent.tags().get(KnobflowTags.SAMPLER));
    assertEquals("7", parent.tags().get(KnobflowTags.SEED));
    assertEquals("150.0", parent.tags().get("knobflow.meta.rows"));
    assertTrue(parent.tags().containsKey(KnobflowTags.VERSION));
    assertEquals(4.0, parent.metrics().get("trials_complete"));
    assertEquals(1.0, parent.metrics().get("trials_pruned"));
    assertEquals(1.0, parent.metrics().get("trials_fail"));
    assertEquals(6.0, parent.metrics().get("trials_total"));
    double paretoSize = parent.metrics().get("pareto_front_size");
    assertTrue(paretoSize >= 1 && paretoSize <= 4, "pareto size " + paretoSize);
    String note = parent.tags().get(MlflowTags.NOTE);
    assertTrue(note.contains("Pareto front: " + (int) paretoSize + " trials"), note);
    assertTrue(note.contains("4 complete, 1 pruned, 1 fail"), note);

    Map<Integer, RunRecord> children = byNumber(trialRuns(parent.experimentId(), name));
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), children.keySet());
    for (RunRecord child : children.values()) {
      assertEquals(parent.runId(), child.tags().get(MlflowTags.PARENT_RUN_ID));
      assertEquals(Set.of("lr", "depth", "booster"), child.params().keySet());
    }
    RunRecord complete = children.get(0);
    assertEquals("FINISHED", complete.status());
    assertEquals("COMPLETE", complete.tags().get(KnobflowTags.STATE));
    double lr = Double.parseDouble(complete.params().get("lr"));
    long depth = Long.parseLong(complete.params().get("depth"));
    assertEquals(0.8 + lr, complete.metrics().get("accuracy"), 1e-12);
    assertEquals(1.0 + depth, complete.metrics().get("latency_ms"), 1e-12);
    assertEquals(0.25 * depth, complete.metrics().get("energy_wh"), 1e-12);
    List<MetricPoint> history = tracking.runs().metricHistory(complete.runId(), "latency_ms");
    // three intermediate steps, then the final value at the last step
    assertEquals(List.of(0L, 1L, 2L, 2L), history.stream().map(MetricPoint::step).toList());
    assertEquals(10.0 + depth, history.get(0).value(), 1e-12);
    assertEquals(8.0 + depth, history.get(2).value(), 1e-12);

    RunRecord failed = children.get(2);
    assertEquals("FAILED", failed.status());
    assertEquals("FAIL", failed.tags().get(KnobflowTags.STATE));
    assertTrue(
        failed.tags().get(KnobflowTags.FAIL_REASON).contains("out of memory on purpose"),
        failed.tags().toString());
    assertTrue(failed.metrics().isEmpty(), failed.metrics().toString());

    RunRecord pruned = children.get(4);
    assertEquals("KILLED", pruned.status());
    assertEquals("PRUNED", pruned.tags().get(KnobflowTags.STATE));
    assertEquals(
        List.of(0L, 1L, 2L),
        tracking.runs().metricHistory(pruned.runId(), "accuracy").stream()
            .map(MetricPoint::step)
            .distinct()
            .toList());
  }

  @Test
  void theBestSoFarHistoryNeverWorsensWhenALaterTrialFinishesFirst() {
    String name = unique("out-of-order");
    MlflowTrackingListener listener;
    try (MlflowTrackingListener l = MlflowTrackingListener.builder(tracking, name, TWO).build()) {
      listener = l;
      Study study = study(name, dev.knobflow.optimizers.storage.InMemoryStorage.create(), l);
      var first = study.ask();
      var second = study.ask();
      // The later trial finishes first, with the worse accuracy; then the earlier, better one.
      study.tell(second, TrialResult.of(0.5, 3.0));
      study.tell(first, TrialResult.of(0.9, 2.0));
      study.tell(study.ask(), TrialResult.of(0.7, 4.0));
      l.finish(study, dev.knobflow.mlflowrest.RunOutcome.FINISHED);
    }
    List<Double> accuracy =
        tracking.runs().metricHistory(listener.parentRunId(), "best/accuracy").stream()
            .sorted(java.util.Comparator.comparingLong(MetricPoint::step))
            .map(MetricPoint::value)
            .toList();
    assertEquals(List.of(0.5, 0.9, 0.9), accuracy);
    List<Double> latency =
        tracking.runs().metricHistory(listener.parentRunId(), "best/latency_ms").stream()
            .sorted(java.util.Comparator.comparingLong(MetricPoint::step))
            .map(MetricPoint::value)
            .toList();
    assertEquals(List.of(3.0, 2.0, 2.0), latency);
  }

  @Test
  void resumingAJournalStudyReusesItsParentRunAndNeverDuplicatesATrialRun() {
    String name = unique("resume");
    Path journal = dir.resolve("journal.jsonl");
    String parentId;
    try (StudyStorage storage = JournalStorage.open(journal);
        MlflowTrackingListener first =
            MlflowTrackingListener.builder(tracking, name, TWO).build()) {
      study(name, storage, first).optimize(twoObjectives(), OptimizeOptions.trials(3));
      parentId = first.parentRunId();
    }
    int caughtUp;
    try (StudyStorage storage = JournalStorage.open(journal);
        MlflowTrackingListener second =
            MlflowTrackingListener.builder(tracking, name, TWO).build()) {
      Study study = study(name, storage, second);
      caughtUp = second.catchUp(study);
      assertEquals(parentId, second.parentRunId());
      study.optimize(twoObjectives(), OptimizeOptions.trials(3));
    }
    assertEquals(0, caughtUp);
    RunRecord parent = tracking.runs().getRun(parentId);
    List<RunRecord> children = trialRuns(parent.experimentId(), name);
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), byNumber(children).keySet());
    assertEquals(6.0, parent.metrics().get("trials_total"));
    assertEquals(
        1,
        tracking
            .runs()
            .searchRuns(List.of(parent.experimentId()), KnobflowTags.studyRunFilter(name))
            .size());
  }

  @Test
  void trialsAlreadyInTheJournalAreMirroredOnceWhenTrackingStarts() {
    String name = unique("mirror");
    Path journal = dir.resolve("journal.jsonl");
    try (StudyStorage storage = JournalStorage.open(journal)) {
      study(name, storage, null).optimize(twoObjectives(), OptimizeOptions.trials(4));
    }
    String experimentId;
    try (StudyStorage storage = JournalStorage.open(journal);
        MlflowTrackingListener listener =
            MlflowTrackingListener.builder(tracking, name, TWO).build()) {
      experimentId = listener.experimentId();
      Study study = study(name, storage, listener);
      assertEquals(4, listener.catchUp(study));
      assertEquals(0, listener.catchUp(study));
      study.optimize(twoObjectives(), OptimizeOptions.trials(1));
    }
    Map<Integer, RunRecord> children = byNumber(trialRuns(experimentId, name));
    assertEquals(Set.of(0, 1, 2, 3, 4), children.keySet());
    assertEquals("FAILED", children.get(2).status());
    assertEquals("COMPLETE", children.get(3).tags().get(KnobflowTags.STATE));
    assertEquals(
        new TreeSet<>(List.of(0L, 1L, 2L)),
        tracking.runs().metricHistory(children.get(0).runId(), "accuracy").stream()
            .map(MetricPoint::step)
            .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void aGivenRunBecomesTheStudysParentRun() {
    String name = unique("adopted");
    String experiment = tracking.runs().getOrCreateExperiment(unique("mlflow-run"));
    RunRecord outer = tracking.runs().createRun(experiment, "mlflow-run-entry", Map.of());
    String parentId;
    try (MlflowTrackingListener listener =
        MlflowTrackingListener.builder(tracking, name, TWO).parentRunId(outer.runId()).build()) {
      study(name, dev.knobflow.optimizers.storage.InMemoryStorage.create(), listener)
          .optimize(twoObjectives(), OptimizeOptions.trials(2));
      parentId = listener.parentRunId();
    }
    assertEquals(outer.runId(), parentId);
    RunRecord parent = tracking.runs().getRun(outer.runId());
    assertEquals(name, parent.tags().get(KnobflowTags.STUDY));
    assertEquals("mlflow-run-entry", parent.runName());
    Map<Integer, RunRecord> children = byNumber(trialRuns(experiment, name));
    assertEquals(Set.of(0, 1), children.keySet());
    children
        .values()
        .forEach(c -> assertEquals(outer.runId(), c.tags().get(MlflowTags.PARENT_RUN_ID)));
    // no experiment of its own: the adopted run's experiment holds the trials
    assertTrue(tracking.runs().findExperimentId(name).isEmpty());
  }
}
