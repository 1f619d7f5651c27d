package dev.knobflow.optimizers;

import dev.knobflow.optimizers.budget.BudgetStatus;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RepeatGuard;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SamplerExhaustedException;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.time.Clock;
import dev.knobflow.time.Sleeper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimisation task: objectives with directions, a storage that holds every trial, a sampler
 * that proposes parameters, a scheduler that stops or budgets trials, and listeners.
 *
 * <pre>{@code
 * Study study = Study.builder("demo")
 *     .objectives(Objective.maximize("accuracy"), Objective.minimize("latency_ms"))
 *     .storage(JournalStorage.open(Path.of(".knobflow/journal.jsonl")))
 *     .sampler(RandomSampler.seeded(42))
 *     .build();
 * study.optimize(trial -> {
 *   double eta = trial.suggestFloat("eta", 0.01, 0.3, true);
 *   ...
 *   return TrialResult.of(accuracy, latency);
 * }, OptimizeOptions.trials(60));
 * List<FrozenTrial> front = study.paretoFront();
 * }</pre>
 *
 * <p>A study instance is thread-safe; all state lives in its storage, so several instances (in
 * several processes) can work on the same study.
 */
public final class Study implements StudyView {

  private static final Logger LOG = LoggerFactory.getLogger(Study.class);

  private final String name;
  private final List<Objective> objectives;
  private final StudyStorage storage;
  private final Sampler sampler;
  private final Scheduler scheduler;
  private final SearchSpace declaredSpace;
  private final StudyListeners listeners;
  private final StudyBudget budget;
  private final Object budgetLock = new Object();
  private final Clock clock;
  private final Sleeper sleeper;
  private final Set<Integer> ownRunningTrials = ConcurrentHashMap.newKeySet();
  // Trials a prune was requested for through this instance, so their Trial sees it without a read.
  private final Set<Integer> pruneRequests = ConcurrentHashMap.newKeySet();
  private final boolean noisy;
  private final StudyRepeatGuard repeats;
  private final TrialStarter starter;
  private volatile boolean stopRequested;

  private Study(Builder b, List<Objective> objectives) {
    this.name = b.name;
    this.objectives = List.copyOf(objectives);
    this.storage = b.storage;
    this.sampler = b.sampler;
    this.scheduler = b.scheduler;
    this.declaredSpace = b.space;
    this.listeners = new StudyListeners(this, b.listeners);
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.budget = b.budget;
    this.noisy = b.noisy;
    this.repeats =
        new StudyRepeatGuard(
            name, storage, sampler, declaredSpace, noisy, b.seed == null ? 0L : b.seed);
    this.starter = new TrialStarter(this, repeats);
  }

  /**
   * Whether the objective is declared noisy: the same configuration may give different values, so a
   * model-based sampler may propose it again. When false (the default), the study keeps a {@link
   * Sampler#modelBased() model-based} sampler from repeating a configuration ({@link RepeatGuard}).
   */
  public boolean noisy() {
    return noisy;
  }

  /** The lock under which this process checks the budget and starts a trial. */
  Object budgetLock() {
    return budgetLock;
  }

  /** The study's budget, if it has one. */
  public Optional<StudyBudget> budget() {
    return Optional.ofNullable(budget);
  }

  /** Where each of the study's budgets stands (empty without a budget), read from storage. */
  public List<BudgetStatus> budgetStatus() {
    return budget == null ? List.of() : budget.status(this);
  }

  /**
   * When a budget limit is reached: asks every running trial of the study (in any worker) to prune,
   * with the reason; returns the reason, or empty while every limit holds.
   */
  Optional<String> pruneIfBudgetExhausted() {
    if (budget == null) {
      return Optional.empty();
    }
    Optional<String> reason = budget.exhaustion(this);
    reason.ifPresent(
        r -> {
          for (FrozenTrial t : trials(Set.of(TrialState.RUNNING))) {
            if (!t.systemAttrs().containsKey(PRUNE_REQUEST_ATTR)) {
              requestPrune(t.number(), r);
            }
          }
        });
    return reason;
  }

  /** Starts describing a study; {@link Builder#build()} creates it or loads it if it exists. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  // --- StudyView -------------------------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Objective> objectives() {
    return objectives;
  }

  @Override
  public SearchSpace declaredSpace() {
    return declaredSpace;
  }

  @Override
  public List<FrozenTrial> trials() {
    return storage.trials(name);
  }

  @Override
  public List<FrozenTrial> trials(Set<TrialState> states) {
    return storage.trials(name, states);
  }

  /** The storage that holds this study. */
  public StudyStorage storage() {
    return storage;
  }

  /** The sampler. */
  public Sampler sampler() {
    return sampler;
  }

  /** The scheduler. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The clock that times trials, timeouts and heartbeats. */
  public Clock clock() {
    return clock;
  }

  /** How the optimisation loop waits (between heartbeats). */
  Sleeper sleeper() {
    return sleeper;
  }

  Logger log() {
    return LOG;
  }

  // --- for the optimisation loop (OptimizeLoop) --------------------------------------------------

  /** Whether {@link #stop()} or {@link #failRunningTrials} asked the running loops to stop. */
  boolean stopRequested() {
    return stopRequested;
  }

  /** Clears an earlier stop request when a new {@code optimize} call starts. */
  void clearStopRequest() {
    stopRequested = false;
  }

  /** Marks the running loops as asked to stop (the pool was interrupted). */
  void requestStop() {
    stopRequested = true;
  }

  /** The numbers of the trials this instance is running now. */
  List<Integer> ownRunningTrials() {
    return List.copyOf(ownRunningTrials);
  }

  /** Forgets a running trial that someone else finished. */
  void forgetRunningTrial(int number) {
    ownRunningTrials.remove(number);
    repeats.forget(number);
  }

  /** Tells every listener that an {@code optimize} call has ended. */
  void notifyStudyFinished() {
    listeners.studyFinished();
  }

  // --- ask / tell ------------------------------------------------------------------------------

  /**
   * Starts a new trial: an enqueued one if any is waiting, otherwise a fresh one with sampled
   * parameters. Parameters of the declared space are suggested right away.
   *
   * @throws SamplerExhaustedException if the sampler has nothing left (a finished grid)
   */
  public Trial ask() {
    Optional<FrozenTrial> waiting = storage.claimWaitingTrial(name);
    return start(waiting.isPresent() ? waiting.get() : starter.createTrial());
  }

  /**
   * {@link #ask()} only while fewer than {@code target} trials occupy the study's trial target
   * ({@link TrialTarget#occupies}); empty when it is reached. The check and the start are one
   * atomic step where the storage {@linkplain StudyStorage#holdsTargetExactly holds the target
   * exactly}.
   */
  Optional<Trial> askBelowTarget(long target) {
    Optional<FrozenTrial> created = storage.claimWaitingTrialBelowTarget(name, target);
    if (created.isEmpty()) {
      created = starter.createTrialBelowTarget(target);
    }
    return created.map(this::start);
  }

  private Trial start(FrozenTrial created) {
    ownRunningTrials.add(created.number());
    try {
      return starter.start(created);
    } catch (RuntimeException e) {
      finishQuietly(created.number(), TrialOutcome.failed(reasonOf(e), clock.now()));
      throw e;
    }
  }

  /** Tells every listener that {@code trial} started. */
  void notifyTrialStarted(Trial trial) {
    listeners.trialStarted(trial);
  }

  /**
   * Whether a model-based sampler has no configuration left to propose: the declared space is
   * finite and every configuration of it is taken (not checked for a noisy objective).
   */
  boolean spaceExhausted() {
    return repeats.spaceExhausted();
  }

  /**
   * Finishes a trial with the objective's result. Values are checked against the objectives: a
   * wrong count, a missing named objective or a value that is not a finite number (NaN, an
   * infinity) makes the trial FAIL with the reason.
   */
  public FrozenTrial tell(Trial trial, TrialResult result) {
    return tell(trial.number(), result);
  }

  /** Finishes trial {@code number} with a result; see {@link #tell(Trial, TrialResult)}. */
  public FrozenTrial tell(int number, TrialResult result) {
    TrialOutcome outcome = outcomeOf(result);
    if (outcome.state() == TrialState.FAIL) {
      LOG.warn("trial {} failed: {}", number, outcome.reason());
    }
    return finish(number, outcome);
  }

  /** Finishes a trial as FAIL with a reason. */
  public FrozenTrial tellFailed(int number, String reason) {
    return finish(number, TrialOutcome.failed(reason, clock.now()));
  }

  /** Finishes a trial as PRUNED, keeping its last reported values. */
  public FrozenTrial tellPruned(Trial trial, String reason) {
    return finish(trial.number(), TrialOutcome.pruned(trial.lastReported(), reason, clock.now()));
  }

  /**
   * Queues a trial with fixed parameters; the next {@link #ask()} runs it. Values outside the
   * distribution the objective suggests are ignored with a warning and sampled instead.
   */
  public void enqueue(Map<String, Object> params) {
    enqueue(params, Map.of());
  }

  /**
   * {@link #enqueue(Map)} with system attributes stored on the queued trial from its creation (for
   * example where its parameters came from); {@code fixed_params} is reserved.
   */
  public void enqueue(Map<String, Object> params, Map<String, Object> systemAttrs) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(systemAttrs, "systemAttrs");
    starter.enqueue(params, systemAttrs);
  }

  /** The outcome of a result; see {@link ResultCheck}. */
  TrialOutcome outcomeOf(TrialResult result) {
    return ResultCheck.outcome(objectives, result, clock.now());
  }

  FrozenTrial finish(int number, TrialOutcome outcome) {
    FrozenTrial finished = storage.finishTrial(name, number, outcome);
    ownRunningTrials.remove(number);
    if (!pruneRequests.isEmpty()) {
      pruneRequests.remove(number);
    }
    repeats.forget(number);
    listeners.trialFinished(finished);
    return finished;
  }

  private void finishQuietly(int number, TrialOutcome outcome) {
    try {
      finish(number, outcome);
    } catch (TrialAlreadyFinishedException alreadyDone) {
      forgetRunningTrial(number);
    }
  }

  void notifyIntermediate(int number, long step, List<Double> values) {
    listeners.intermediateValueReported(() -> storage.trial(name, number), step, values);
  }

  // --- optimize --------------------------------------------------------------------------------

  /**
   * Runs trials until {@code options.trials()} have finished in this call, the timeout passes, the
   * sampler is exhausted or {@link #stop()} is called. An exception in the objective marks its
   * trial FAIL and the study goes on.
   */
  public OptimizeSummary optimize(ObjectiveFunction objective, OptimizeOptions options) {
    Objects.requireNonNull(objective, "objective");
    return OptimizeLoop.run(this, objective, options);
  }

  static String reasonOf(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  // --- requests from listeners (the advisor)
  // ------------------------------------------------------

  /** The system attribute that holds a prune request's reason; see {@link #requestPrune}. */
  public static final String PRUNE_REQUEST_ATTR = "prune_request";

  /**
   * Asks a running trial to stop: from now on its {@link Trial#shouldPrune()} answers true,
   * whatever the scheduler says, and when the objective then throws {@link TrialPrunedException}
   * the trial's prune reason ends with {@code reason}. The request lives in storage, so it reaches
   * the trial's worker in any process.
   */
  public void requestPrune(int number, String reason) {
    storage.setSystemAttr(
        name, number, PRUNE_REQUEST_ATTR, Objects.requireNonNull(reason, "reason"));
    pruneRequests.add(number);
  }

  /** Whether a prune of {@code number} was requested through this instance. */
  boolean pruneRequestedHere(int number) {
    return pruneRequests.contains(number);
  }

  /** The study's narrowed parameter ranges (see {@link SpaceOverrides}). */
  public SpaceOverrides spaceOverrides() {
    return storage
        .findStudy(name)
        .map(r -> SpaceOverrides.fromStudyAttrs(r.attrs()))
        .orElse(SpaceOverrides.none());
  }

  /**
   * Narrows a numeric parameter's range for every later trial, whatever the sampler; merged with an
   * existing override of the parameter (see {@link SpaceOverrides#with}) and kept in storage with
   * its {@code cause}. Read-modify-write of one study attribute: safe between the threads of this
   * instance; between processes the last writer wins.
   *
   * @return the override now in force for {@code param}
   */
  public SpaceOverride overrideRange(
      String param, double low, double high, Map<String, Object> cause) {
    return overrideRange(param, low, high, List.of(), cause);
  }

  /**
   * Like {@link #overrideRange(String, double, double, Map)}, widened as little as needed so the
   * override in force still contains every value of {@code keep} (see {@link
   * SpaceOverrides#with(SpaceOverride, java.util.Collection)}).
   */
  public synchronized SpaceOverride overrideRange(
      String param,
      double low,
      double high,
      java.util.Collection<Double> keep,
      Map<String, Object> cause) {
    SpaceOverrides merged = spaceOverrides().with(new SpaceOverride(param, low, high, cause), keep);
    storage.setStudyAttr(name, SpaceOverrides.STUDY_ATTR, merged.toAttrValue());
    return merged.get(param).orElseThrow();
  }

  /** Asks running {@code optimize} calls to start no new trials. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Marks every trial this instance is running as FAIL with {@code reason}, leaving storage
   * consistent; used on Ctrl-C. Their objectives' later results are ignored.
   */
  public List<FrozenTrial> failRunningTrials(String reason) {
    stopRequested = true;
    List<FrozenTrial> failed = new ArrayList<>();
    for (Integer number : List.copyOf(ownRunningTrials)) {
      try {
        failed.add(finish(number, TrialOutcome.failed(reason, clock.now())));
      } catch (TrialAlreadyFinishedException alreadyDone) {
        forgetRunningTrial(number);
      }
    }
    return failed;
  }

  static void safely(Runnable action) {
    StudyListeners.safely(action);
  }

  // --- results ---------------------------------------------------------------------------------

  /**
   * The best completed trial of a single-objective study: feasible trials first, then the best
   * value. In a multi-fidelity study only trials at the highest budget reached are compared. Empty
   * when no trial completed.
   */
  public Optional<FrozenTrial> bestTrial() {
    if (objectives.size() != 1) {
      throw new IllegalStateException(
          "bestTrial() is for single-objective studies; this study has "
              + objectives.size()
              + " objectives: use paretoFront()");
    }
    return ParetoFronts.best(trials(Set.of(TrialState.COMPLETE)), objectives.get(0).direction());
  }

  /**
   * The completed trials no other completed trial dominates, in number order. With constraints,
   * feasible trials come first: the front is taken over feasible trials, or over the trials with
   * the least total violation when none is feasible. In a multi-fidelity study only the trials at
   * the highest budget reached are compared, and a configuration is listed once ({@link
   * ParetoFronts}).
   */
  public List<FrozenTrial> paretoFront() {
    return ParetoFronts.of(trials(Set.of(TrialState.COMPLETE)), objectives);
  }

  /** A one-line summary of the study's trials by state. */
  public Map<TrialState, Long> countByState() {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    for (FrozenTrial t : trials()) {
      counts.merge(t.state(), 1L, Long::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  // --- builder ---------------------------------------------------------------------------------

  /**
   * Describes a study (the options are {@link StudyOptions}'s); {@link #build()} creates it in
   * storage or loads the existing one.
   */
  public static final class Builder extends StudyOptions {

    private Builder(String name) {
      super(name);
    }

    /**
     * Creates the study, or loads it if a study of that name exists. Without explicit objectives,
     * an existing study's objectives are used (or {@code value}, minimised).
     */
    public Study build() {
      return new Study(this, createOrLoad().objectives());
    }
  }
}
