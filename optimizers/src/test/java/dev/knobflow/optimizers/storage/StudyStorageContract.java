package dev.knobflow.optimizers.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.samplers.GridSampler;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import dev.knobflow.optimizers.schedulers.bohb.BohbSampler;
import dev.knobflow.optimizers.schedulers.bohb.BohbSettings;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link StudyStorage} contract: every storage runs these tests by subclassing this class (it
 * is published in the optimizers test-jar) and implementing two factories, {@link #createStorage()}
 * for a fresh, empty storage and {@link #reopen} for a second instance over the same data. Storages
 * opened through either are closed after each test.
 *
 * <p>Covers: creating and loading studies; unique, consecutive trial numbers under concurrent
 * threads; params, values, intermediate values, attributes, budget and constraints surviving a
 * reopen; finish-once; enqueued trials claimed once, oldest first; heartbeats and stale-trial
 * recovery (time is passed in, so no test waits); and resume: for every sampler, a sampler reading
 * a reopened storage proposes exactly what it proposes on an in-memory storage that was never
 * reopened (so a storage must also keep every value exactly). The trial target's cases (which
 * trials occupy it, exactness under concurrent creators) are in {@link TrialTargetContract}.
 */
public abstract class StudyStorageContract implements TrialTargetContract {

  private static final List<Objective> TWO =
      List.of(Objective.minimize("loss"), Objective.maximize("acc"));

  private final List<StudyStorage> opened = new ArrayList<>();

  /** A fresh, empty storage (for a server: a new namespace, e.g. a new experiment). */
  protected abstract StudyStorage createStorage() throws Exception;

  /**
   * A second storage instance over {@code storage}'s data, as a process that starts later would
   * open it; the implementation may close {@code storage} first. An in-memory storage, which has
   * nothing to reopen, returns it.
   */
  protected abstract StudyStorage reopen(StudyStorage storage) throws Exception;

  /** How many trials each of four threads creates in the numbering test. */
  protected int trialsPerThread() {
    return 10;
  }

  private StudyStorage fresh() throws Exception {
    return track(createStorage());
  }

  private StudyStorage reopened(StudyStorage storage) throws Exception {
    return track(reopen(storage));
  }

  @Override
  public final StudyStorage freshStorage() throws Exception {
    return fresh();
  }

  @Override
  public final StudyStorage reopenedStorage(StudyStorage storage) throws Exception {
    return reopened(storage);
  }

  private StudyStorage track(StudyStorage storage) {
    opened.add(storage);
    return storage;
  }

  @AfterEach
  void closeStorages() {
    for (StudyStorage s : opened) {
      try {
        s.close();
      } catch (RuntimeException ignored) {
        // Already closed by reopen().
      }
    }
  }

  // --- studies ---------------------------------------------------------------------------------

  @Test
  void aStudyIsCreatedOnceAndFoundAfterAReopen() throws Exception {
    StudyStorage storage = fresh();
    assertTrue(storage.findStudy("s1").isEmpty());
    storage.createStudy("s1", TWO);
    storage.setStudyAttr("s1", "seed", 42);
    assertEquals(TWO, storage.createStudy("s1", TWO).objectives(), "created again: the same");
    assertThrows(
        IllegalArgumentException.class,
        () -> storage.createStudy("s1", List.of(Objective.minimize("other"))));
    storage.createStudy("s2", List.of(Objective.minimize("loss")));

    StudyStorage again = reopened(storage);
    StudyRecord found = again.findStudy("s1").orElseThrow();
    assertEquals(TWO, found.objectives());
    assertEquals(42L, ((Number) found.attrs().get("seed")).longValue());
    assertEquals(List.of("s1", "s2"), again.studies().stream().map(StudyRecord::name).toList());
  }

  // --- numbering -------------------------------------------------------------------------------

  @Test
  void concurrentThreadsGetUniqueConsecutiveTrialNumbers() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("numbers", List.of(Objective.minimize("loss")));
    int threads = 4;
    int each = trialsPerThread();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<List<Integer>> work =
            () -> {
              List<Integer> mine = new ArrayList<>();
              for (int k = 0; k < each; k++) {
                mine.add(storage.createTrial("numbers", TrialState.RUNNING, Map.of()).number());
              }
              return mine;
            };
        futures.add(pool.submit(work));
      }
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> f : futures) {
        all.addAll(f.get());
      }
      assertEquals(threads * each, new HashSet<>(all).size(), "no number given twice: " + all);
      assertEquals(
          IntStream.range(0, threads * each).boxed().toList(), all.stream().sorted().toList());
    } finally {
      pool.shutdownNow();
    }
    List<Integer> stored =
        reopened(storage).trials("numbers").stream().map(FrozenTrial::number).toList();
    assertEquals(IntStream.range(0, threads * each).boxed().toList(), stored);
  }

  // --- one trial's data ------------------------------------------------------------------------

  @Test
  void everyPartOfATrialSurvivesAReopen() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("rt", TWO);
    int n = storage.createTrial("rt", TrialState.RUNNING, Map.of("origin", "test")).number();
    storage.setParam("rt", n, "x", FloatDistribution.logOf(1e-4, 1), 0.0123456789012345);
    storage.setParam("rt", n, "layers", IntDistribution.of(1, 8), 3L);
    storage.setParam("rt", n, "opt", CategoricalDistribution.of("adam", "sgd"), "sgd");
    storage.reportIntermediate("rt", n, 1, List.of(0.5, 0.25));
    storage.reportIntermediate("rt", n, 7, List.of(0.125, 0.75));
    storage.setUserAttr("rt", n, "note", "hello");
    storage.setSystemAttr("rt", n, "generation", 2);
    storage.setBudget("rt", n, 27.0);
    Instant end = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    FrozenTrial finished =
        storage.finishTrial(
            "rt",
            n,
            TrialOutcome.complete(
                List.of(0.1 + 0.2, 0.9), List.of(-1.5), Map.of("train_time_s", 12.5), end));

    FrozenTrial t = reopened(storage).trial("rt", n);
    assertEquals(TrialState.COMPLETE, t.state());
    assertEquals(List.of(0.1 + 0.2, 0.9), t.values(), "doubles exactly");
    assertEquals(finished.params(), t.params());
    assertEquals(0.0123456789012345, ((Number) t.params().get("x")).doubleValue());
    assertEquals(3L, ((Number) t.params().get("layers")).longValue());
    assertEquals("sgd", t.params().get("opt"));
    assertEquals(FloatDistribution.logOf(1e-4, 1), t.distributions().get("x"));
    assertEquals(IntDistribution.of(1, 8), t.distributions().get("layers"));
    assertEquals(CategoricalDistribution.of("adam", "sgd"), t.distributions().get("opt"));
    assertEquals(List.of(0.5, 0.25), t.intermediateValues().get(1L));
    assertEquals(List.of(0.125, 0.75), t.intermediateValues().get(7L));
    assertEquals(2, t.intermediateValues().size());
    assertEquals(List.of(-1.5), t.constraints());
    assertEquals(12.5, t.metrics().get("train_time_s"));
    assertEquals("hello", t.userAttrs().get("note"));
    assertEquals(2L, ((Number) t.systemAttrs().get("generation")).longValue());
    assertEquals("test", t.systemAttrs().get("origin"));
    assertEquals(27.0, t.budget());
    assertEquals(end, t.completed());
  }

  @Test
  void severalParamsAreRecordedInOneCallWithTheSameChecksAsOne() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("batch", TWO);
    int n = storage.createTrial("batch", TrialState.RUNNING, Map.of()).number();
    storage.setParam("batch", n, "layers", IntDistribution.of(1, 8), 3L);
    Map<String, ParamValue> batch = new LinkedHashMap<>();
    batch.put("z", new ParamValue(FloatDistribution.logOf(1e-4, 1), 0.0123456789012345));
    batch.put("opt", new ParamValue(CategoricalDistribution.of("adam", "sgd"), "sgd"));
    batch.put("layers", new ParamValue(IntDistribution.of(1, 8), 3L)); // again, same distribution
    storage.setParams("batch", n, batch);
    assertEquals(
        List.of("layers", "z", "opt"), List.copyOf(storage.trial("batch", n).params().keySet()));

    StudyStorage again = reopened(storage);
    FrozenTrial t = again.trial("batch", n);
    assertEquals(0.0123456789012345, ((Number) t.params().get("z")).doubleValue());
    assertEquals("sgd", t.params().get("opt"));
    assertEquals(3L, ((Number) t.params().get("layers")).longValue());
    assertEquals(FloatDistribution.logOf(1e-4, 1), t.distributions().get("z"));
    assertEquals(CategoricalDistribution.of("adam", "sgd"), t.distributions().get("opt"));

    Map<String, ParamValue> clash = new LinkedHashMap<>();
    clash.put("opt", new ParamValue(CategoricalDistribution.of("adam", "sgd", "rmsprop"), "adam"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> again.setParams("batch", n, clash));
    assertTrue(e.getMessage().contains("'opt'"), e.getMessage());
    assertEquals("sgd", again.trial("batch", n).params().get("opt"), "the first value kept");

    again.finishTrial("batch", n, TrialOutcome.failed("stopped", Instant.now()));
    Map<String, ParamValue> late = Map.of("w", new ParamValue(FloatDistribution.of(0, 1), 0.5));
    assertThrows(TrialAlreadyFinishedException.class, () -> again.setParams("batch", n, late));
    assertTrue(again.trial("batch", n).params().get("w") == null, "nothing written when finished");
  }

  @Test
  void aFinishedTrialCannotBeFinishedAgain() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("once", List.of(Objective.minimize("loss")));
    int n = storage.createTrial("once", TrialState.RUNNING, Map.of()).number();
    storage.finishTrial("once", n, complete(1.0));
    assertThrows(
        TrialAlreadyFinishedException.class, () -> storage.finishTrial("once", n, complete(2.0)));
    StudyStorage again = reopened(storage);
    assertThrows(
        TrialAlreadyFinishedException.class,
        () -> again.finishTrial("once", n, TrialOutcome.failed("late", Instant.now())));
    assertEquals(List.of(1.0), again.trial("once", n).values());
  }

  // --- enqueued trials -------------------------------------------------------------------------

  @Test
  void enqueuedTrialsAreClaimedOnceOldestFirst() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("queue", List.of(Objective.minimize("loss")));
    int first =
        storage
            .createTrial("queue", TrialState.WAITING, Map.of("fixed_params", Map.of("x", 0.5)))
            .number();
    int second =
        storage
            .createTrial("queue", TrialState.WAITING, Map.of("fixed_params", Map.of("x", 0.25)))
            .number();
    StudyStorage again = reopened(storage);
    assertEquals(TrialState.WAITING, again.trial("queue", first).state());
    FrozenTrial a = again.claimWaitingTrial("queue").orElseThrow();
    FrozenTrial b = again.claimWaitingTrial("queue").orElseThrow();
    assertEquals(first, a.number());
    assertEquals(second, b.number());
    assertEquals(TrialState.RUNNING, a.state());
    assertEquals(TrialState.RUNNING, again.trial("queue", second).state());
    assertEquals(0.5, ((Number) fixedParams(a).get("x")).doubleValue());
    assertEquals(0.25, ((Number) fixedParams(b).get("x")).doubleValue());
    assertTrue(again.claimWaitingTrial("queue").isEmpty(), "each is claimed once");
  }

  // --- heartbeats ------------------------------------------------------------------------------

  @Test
  void aTrialIsStaleOnlyOnceItsLastHeartbeatIsOlderThanTheGrace() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("beats", List.of(Objective.minimize("loss")));
    int n = storage.createTrial("beats", TrialState.RUNNING, Map.of()).number();
    Instant beat = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    storage.heartbeat("beats", n, beat);
    Duration grace = Duration.ofSeconds(30);

    // Another worker judges (a storage may never fail its own instance's running trials).
    StudyStorage again = reopened(storage);
    assertEquals(beat, again.trial("beats", n).heartbeat());
    assertEquals(List.of(), again.failStaleTrials("beats", grace, beat.plusSeconds(29)));
    assertEquals(TrialState.RUNNING, again.trial("beats", n).state());

    List<FrozenTrial> failed = again.failStaleTrials("beats", grace, beat.plusSeconds(31));
    assertEquals(List.of(n), failed.stream().map(FrozenTrial::number).toList());
    assertEquals(TrialState.FAIL, failed.get(0).state());
    // As the next process sees it.
    FrozenTrial t = reopened(again).trial("beats", n);
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(t.failReason().startsWith("stale"), t.failReason());
  }

  @Test
  void aTrialWithoutHeartbeatIsJudgedByItsStart() throws Exception {
    StudyStorage storage = fresh();
    storage.createStudy("nobeat", List.of(Objective.minimize("loss")));
    int n = storage.createTrial("nobeat", TrialState.RUNNING, Map.of()).number();
    // Another worker judges (a storage may never fail its own instance's running trials).
    StudyStorage judge = reopened(storage);
    Instant started = judge.trial("nobeat", n).started();
    Duration grace = Duration.ofMinutes(5);
    assertEquals(List.of(), judge.failStaleTrials("nobeat", grace, started.plusSeconds(60)));
    List<FrozenTrial> failed = judge.failStaleTrials("nobeat", grace, started.plusSeconds(301));
    assertEquals(List.of(n), failed.stream().map(FrozenTrial::number).toList());
  }

  // --- resume from storage, for every sampler --------------------------------------------------

  /** A sampler with what it needs: objectives, an optional scheduler, and how many trials. */
  public record SamplerCase(
      String name,
      Supplier<Sampler> sampler,
      Supplier<Scheduler> scheduler,
      List<Objective> objectives,
      int trialsBeforeReopen) {

    @Override
    public String toString() {
      return name;
    }
  }

  /** Every sampler the engine ships, configured so that a few trials reach its model. */
  public static Stream<SamplerCase> samplers() {
    List<Objective> one = List.of(Objective.minimize("loss"));
    List<Objective> two = List.of(Objective.minimize("f1"), Objective.minimize("f2"));
    Supplier<Scheduler> none = Scheduler::none;
    Supplier<Bohb> bohb =
        () -> Bohb.create(BohbSettings.of(BudgetSettings.of(1, 3), 11).withRandomFraction(0));
    return Stream.of(
        new SamplerCase("random", () -> RandomSampler.seeded(7), none, one, 5),
        new SamplerCase(
            "grid",
            () -> GridSampler.of(Map.of("x", List.of(0.0, 0.5, 1.0), "y", List.of(0.0, 0.5, 1.0))),
            none,
            one,
            4),
        new SamplerCase("sobol", () -> SobolSampler.seeded(7), none, one, 5),
        new SamplerCase(
            "tpe", () -> TpeSampler.builder().seed(7).startupTrials(4).build(), none, one, 8),
        new SamplerCase(
            "gp", () -> GpSampler.builder().seed(7).startupTrials(4).build(), none, one, 7),
        new SamplerCase(
            "nsga2", () -> NsgaIISampler.builder().populationSize(4).seed(7).build(), none, two, 9),
        new SamplerCase("bohb", () -> bohb.get().sampler(), () -> bohb.get().scheduler(), one, 8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samplers")
  void aSamplerReadingAReopenedStorageProposesWhatItWouldHaveWithoutTheReopen(SamplerCase c)
      throws Exception {
    int after = 3;
    // Reference: the same trials on an in-memory storage that is never reopened.
    StudyStorage straight = InMemoryStorage.create();
    run(straight, c, c.trialsBeforeReopen());
    List<Map<String, Object>> expected = run(straight, c, after);

    // The same study, interrupted: a new storage instance and a new sampler take over.
    StudyStorage first = fresh();
    List<Map<String, Object>> before = run(first, c, c.trialsBeforeReopen());
    StudyStorage resumed = reopened(first);
    assertEquals(
        before,
        resumed.trials("resume").stream().map(FrozenTrial::params).toList(),
        "the reopened storage has the same trials");
    List<Map<String, Object>> actual = run(resumed, c, after);

    assertEquals(expected, actual, c.name() + ": proposals after the reopen");
    if (c.name().equals("bohb")) {
      assertTrue(
          resumed.trials("resume").stream()
              .skip(c.trialsBeforeReopen())
              .anyMatch(t -> t.systemAttrs().containsKey(BohbSampler.MODEL_BUDGET_ATTR)),
          "BOHB's KDE proposed after the reopen");
    }
  }

  /** Runs {@code count} trials of study {@code resume} with a fresh sampler; their params. */
  private static List<Map<String, Object>> run(StudyStorage storage, SamplerCase c, int count) {
    Study study =
        Study.builder("resume")
            .storage(storage)
            .objectives(c.objectives())
            .sampler(c.sampler().get())
            .scheduler(c.scheduler().get())
            .build();
    List<Map<String, Object>> proposed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Trial t = study.ask();
      double x = t.suggestFloat("x", 0, 1);
      double y = t.suggestFloat("y", 0, 1);
      double budget = t.budget().orElse(1.0);
      double f1 = (x - 0.2) * (x - 0.2) + (y - 0.7) * (y - 0.7) + 0.1 / budget;
      TrialResult result =
          c.objectives().size() == 1
              ? TrialResult.of(f1)
              : TrialResult.of(f1, (x - 0.8) * (x - 0.8) + y * y);
      FrozenTrial done = study.tell(t, result);
      proposed.add(new LinkedHashMap<>(done.params()));
    }
    return proposed;
  }

  private static Map<?, ?> fixedParams(FrozenTrial t) {
    return (Map<?, ?>) t.systemAttrs().get("fixed_params");
  }

  private static TrialOutcome complete(double value) {
    return TrialOutcome.complete(List.of(value), List.of(), Map.of(), Instant.now());
  }
}
