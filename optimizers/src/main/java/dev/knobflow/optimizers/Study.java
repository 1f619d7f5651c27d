package dev.knobflow.optimizers;

import dev.knobflow.optimizers.budget.BudgetStatus;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.pareto.Dominance;
import dev.knobflow.optimizers.samplers.NumericalFailureException;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.RepeatGuard;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SamplerExhaustedException;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.time.Clock;
import dev.knobflow.time.Sleeper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
  private final List<StudyListener> listeners;
  private final StudyBudget budget;
  private final Object budgetLock = new Object();
  private final Clock clock;
  private final Sleeper sleeper;
  private final Set<Integer> ownRunningTrials = ConcurrentHashMap.newKeySet();
  private final Object creationLock = new Object();
  // Trials a prune was requested for through this instance, so their Trial sees it without a read.
  private final Set<Integer> pruneRequests = ConcurrentHashMap.newKeySet();
  private final boolean noisy;
  private final long repeatSeed;
  // This process's proposals whose parameters are not all written yet (define-by-run), and the
  // lock under which a proposal is checked for repeats and written: parallel workers of one
  // process never start the same configuration.
  private final Map<Integer, Map<String, Object>> pendingProposals = new ConcurrentHashMap<>();
  private final Object proposalLock = new Object();
  private volatile boolean stopRequested;

  private Study(Builder b, List<Objective> objectives) {
    this.name = b.name;
    this.objectives = List.copyOf(objectives);
    this.storage = b.storage;
    this.sampler = b.sampler;
    this.scheduler = b.scheduler;
    this.declaredSpace = b.space;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.budget = b.budget;
    this.noisy = b.noisy;
    this.repeatSeed = b.seed == null ? 0L : b.seed;
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
    pendingProposals.remove(number);
  }

  /** Tells every listener that an {@code optimize} call has ended. */
  void notifyStudyFinished() {
    for (StudyListener listener : listeners) {
      safely(() -> listener.studyFinished(this));
    }
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
    FrozenTrial created = waiting.orElseGet(this::createTrial);
    ownRunningTrials.add(created.number());
    try {
      return start(created);
    } catch (RuntimeException e) {
      finishQuietly(created.number(), TrialOutcome.failed(reasonOf(e), clock.now()));
      throw e;
    }
  }

  /**
   * Creates a trial with the scheduler's creation attributes. One thread of this process at a time:
   * the attributes are decided from the stored trials (PBT's claim of the segment a new trial
   * continues), so two threads deciding at once would both claim the same one. Workers in other
   * processes still can; the schedulers resolve that from storage.
   */
  private FrozenTrial createTrial() {
    synchronized (creationLock) {
      return storage.createTrial(name, TrialState.RUNNING, scheduler.creationAttributes(this));
    }
  }

  private Trial start(FrozenTrial created) {
    Map<String, Object> scheduled = scheduler.trialAttributes(this, created);
    if (!scheduled.isEmpty()) {
      for (Map.Entry<String, Object> e : scheduled.entrySet()) {
        storage.setSystemAttr(name, created.number(), e.getKey(), e.getValue());
      }
      created = storage.trial(name, created.number());
    }
    Map<String, Object> fixed = fixedParams(created);
    Map<String, Distribution> relativeSpace = sampler.relativeSearchSpace(this, created);
    RelativeSample decided = sampleRelative(created, relativeSpace);
    Map<String, Object> relative = decided.params();
    Map<String, Object> attrs = decided.attributes();
    FrozenTrial current = created;
    if (!attrs.isEmpty()) {
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        storage.setSystemAttr(name, created.number(), e.getKey(), e.getValue());
      }
      current = storage.trial(name, created.number());
    }
    var budget = scheduler.budgetFor(this, current);
    if (budget.isPresent()) {
      storage.setBudget(name, created.number(), budget.getAsDouble());
      current = storage.trial(name, created.number());
    }
    Trial trial = new Trial(this, current, relativeSpace, relative, fixed, spaceOverrides());
    if (guardsRepeats(current, relativeSpace)) {
      synchronized (proposalLock) {
        trial = withoutRepeat(trial, current, relativeSpace, fixed);
        for (Map.Entry<String, Distribution> e : declaredSpace.distributions().entrySet()) {
          trial.suggest(e.getKey(), e.getValue());
        }
      }
    } else {
      for (Map.Entry<String, Distribution> e : declaredSpace.distributions().entrySet()) {
        trial.suggest(e.getKey(), e.getValue());
      }
    }
    if (!listeners.isEmpty()) {
      FrozenTrial startedView = trial.snapshot();
      for (StudyListener listener : listeners) {
        safely(() -> listener.trialStarted(this, startedView));
      }
    }
    return trial;
  }

  private boolean guardsRepeats(FrozenTrial trial, Map<String, Distribution> relativeSpace) {
    return !noisy
        && sampler.modelBased()
        && !trial.systemAttrs().containsKey("fixed_params")
        && (!declaredSpace.isEmpty() || !relativeSpace.isEmpty());
  }

  /**
   * {@code trial} with a configuration no other trial has (see {@link RepeatGuard}): the proposal
   * itself when it repeats nothing, so that seeded studies without repeats are unchanged.
   */
  private Trial withoutRepeat(
      Trial trial,
      FrozenTrial current,
      Map<String, Distribution> relativeSpace,
      Map<String, Object> fixed) {
    Map<String, Distribution> space = new LinkedHashMap<>(relativeSpace);
    space.putAll(declaredSpace.distributions());
    Map<String, Distribution> effective = new LinkedHashMap<>();
    Map<String, Object> proposal = trial.propose(space, effective);
    RepeatGuard.Decision decision =
        RepeatGuard.avoid(
            proposal,
            effective,
            otherConfigurations(current.number()),
            Seeds.forTrial(repeatSeed, current.number()).nextLong());
    if (!decision.attributes().isEmpty()) {
      for (Map.Entry<String, Object> e : decision.attributes().entrySet()) {
        storage.setSystemAttr(name, current.number(), e.getKey(), e.getValue());
      }
      current = storage.trial(name, current.number());
      if (decision.attributes().containsKey(RepeatGuard.REPEAT_KEPT_ATTR)) {
        LOG.warn(
            "trial {} of study '{}': {}",
            current.number(),
            name,
            decision.attributes().get(RepeatGuard.REPEAT_KEPT_ATTR));
      } else {
        LOG.debug(
            "trial {} of study '{}': the sampler proposed trial {}'s configuration again; running"
                + " a neighbour instead",
            current.number(),
            name,
            decision.attributes().get(RepeatGuard.REPEAT_AVOIDED_ATTR));
      }
    }
    if (!declaredSpace.distributions().keySet().containsAll(space.keySet())) {
      // Define-by-run parameters are written later: keep the proposal visible to other workers.
      pendingProposals.put(current.number(), decision.params());
    }
    return new Trial(this, current, space, decision.params(), fixed, spaceOverrides());
  }

  /** Every other trial's configuration: stored params, or this process's pending proposal. */
  private Map<Integer, Map<String, Object>> otherConfigurations(int number) {
    Map<Integer, Map<String, Object>> others = new LinkedHashMap<>();
    for (FrozenTrial t : storage.trials(name)) {
      if (t.number() != number) {
        others.put(t.number(), t.params());
      }
    }
    pendingProposals.forEach(
        (n, params) -> {
          if (n != number) {
            Map<String, Object> merged = new LinkedHashMap<>(others.getOrDefault(n, Map.of()));
            params.forEach(merged::putIfAbsent);
            others.put(n, merged);
          }
        });
    return others;
  }

  /**
   * Whether a model-based sampler has no configuration left to propose: the declared space is
   * finite and every configuration of it is taken (not checked for a noisy objective).
   */
  boolean spaceExhausted() {
    if (noisy || !sampler.modelBased() || declaredSpace.isEmpty()) {
      return false;
    }
    Map<String, Distribution> space = declaredSpace.distributions();
    if (RepeatGuard.size(space) <= 0) {
      return false;
    }
    Map<Integer, Map<String, Object>> others = new LinkedHashMap<>();
    for (FrozenTrial t : storage.trials(name)) {
      others.put(t.number(), t.params());
    }
    return RepeatGuard.exhausted(space, others);
  }

  /**
   * The sampler's decision for {@code trial}; after a declared numerical failure, none (every
   * parameter sampled independently) with the reason as the trial's fallback attribute.
   */
  private RelativeSample sampleRelative(FrozenTrial trial, Map<String, Distribution> space) {
    try {
      return sampler.sampleRelative(this, trial, space);
    } catch (NumericalFailureException e) {
      LOG.warn(
          "trial {} of study '{}' sampled at random: {}", trial.number(), name, e.getMessage());
      return RelativeSample.attributesOnly(Map.of(Sampler.FALLBACK_ATTR, e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fixedParams(FrozenTrial trial) {
    Object fixed = trial.systemAttrs().get("fixed_params");
    return fixed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
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
    if (systemAttrs.containsKey("fixed_params")) {
      throw new IllegalArgumentException("system attribute 'fixed_params' is reserved");
    }
    Map<String, Object> attrs = new LinkedHashMap<>(systemAttrs);
    attrs.put("fixed_params", new LinkedHashMap<>(params));
    storage.createTrial(name, TrialState.WAITING, attrs);
  }

  TrialOutcome outcomeOf(TrialResult result) {
    Instant now = clock.now();
    List<Double> values = new ArrayList<>();
    Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
    if (!result.named().isEmpty()) {
      for (Objective o : objectives) {
        Double v = result.named().get(o.name());
        if (v == null) {
          return TrialOutcome.failed(
              "the result has no value for objective '"
                  + o.name()
                  + "' (it has "
                  + result.named().keySet()
                  + ")",
              now);
        }
        values.add(v);
      }
      result
          .named()
          .forEach(
              (k, v) -> {
                if (objectives.stream().noneMatch(o -> o.name().equals(k))) {
                  metrics.put(k, v);
                }
              });
    } else {
      values.addAll(result.values());
    }
    if (values.size() != objectives.size()) {
      return TrialOutcome.failed(
          "the objective returned "
              + values.size()
              + " value"
              + (values.size() == 1 ? "" : "s")
              + " but the study has "
              + objectives.size()
              + " objective"
              + (objectives.size() == 1 ? "" : "s")
              + " "
              + objectives.stream().map(Objective::name).toList(),
          now);
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null || !Double.isFinite(values.get(i))) {
        return TrialOutcome.failed(
            "objective '"
                + objectives.get(i).name()
                + "' is "
                + values.get(i)
                + "; "
                + TrialOutcome.FINITE_RULE,
            now);
      }
    }
    String badConstraint = TrialOutcome.nonFinite("constraint", result.constraints());
    if (badConstraint != null) {
      return TrialOutcome.failed(badConstraint, now);
    }
    return TrialOutcome.complete(values, result.constraints(), metrics, now);
  }

  FrozenTrial finish(int number, TrialOutcome outcome) {
    FrozenTrial finished = storage.finishTrial(name, number, outcome);
    ownRunningTrials.remove(number);
    pruneRequests.remove(number);
    pendingProposals.remove(number);
    for (StudyListener listener : listeners) {
      safely(() -> listener.trialFinished(this, finished));
    }
    return finished;
  }

  private void finishQuietly(int number, TrialOutcome outcome) {
    try {
      finish(number, outcome);
    } catch (TrialAlreadyFinishedException alreadyDone) {
      ownRunningTrials.remove(number);
      pendingProposals.remove(number);
    }
  }

  void notifyIntermediate(int number, long step, List<Double> values) {
    if (listeners.isEmpty()) {
      return;
    }
    FrozenTrial trial = storage.trial(name, number);
    for (StudyListener listener : listeners) {
      safely(() -> listener.intermediateValueReported(this, trial, step, values));
    }
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
        ownRunningTrials.remove(number);
        pendingProposals.remove(number);
      }
    }
    return failed;
  }

  static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("a study listener failed: {}", e.toString());
      LOG.debug("the listener's stack trace", e);
    }
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
    Direction direction = objectives.get(0).direction();
    FrozenTrial best = null;
    // In a multi-fidelity study only values at the highest budget reached are compared.
    for (FrozenTrial t : ParetoFronts.atTopBudget(trials(Set.of(TrialState.COMPLETE)))) {
      if (best == null || better(t, best, direction)) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Constraint domination ({@link Dominance#constrainedDominates}) of one objective. */
  private static boolean better(FrozenTrial a, FrozenTrial b, Direction direction) {
    return Dominance.constrainedDominates(
        new double[] {direction.toMinimization(a.value())},
        a.totalViolation(),
        new double[] {direction.toMinimization(b.value())},
        b.totalViolation());
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

  /** Describes a study; {@link #build()} creates it in storage or loads the existing one. */
  public static final class Builder {
    private final String name;
    private List<Objective> objectives;
    private StudyStorage storage;
    private Sampler sampler;
    private Scheduler scheduler = Scheduler.none();
    private SearchSpace space = SearchSpace.empty();
    private final List<StudyListener> listeners = new ArrayList<>();
    private Long seed;
    private boolean noisy;
    private StudyBudget budget;
    private Clock clock = Clock.SYSTEM;
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("study name must not be blank");
      }
      this.name = name;
    }

    /** The objectives in order; default a single minimised objective named {@code value}. */
    public Builder objectives(Objective... objectives) {
      return objectives(List.of(objectives));
    }

    /** The objectives in order. */
    public Builder objectives(List<Objective> objectives) {
      if (objectives.isEmpty()) {
        throw new IllegalArgumentException("objectives: declare at least one");
      }
      long distinct = objectives.stream().map(Objective::name).distinct().count();
      if (distinct != objectives.size()) {
        throw new IllegalArgumentException("objectives: names must be unique, got " + objectives);
      }
      this.objectives = List.copyOf(objectives);
      return this;
    }

    /** A single objective named {@code value} in the given direction. */
    public Builder direction(Direction direction) {
      return objectives(new Objective("value", direction));
    }

    /** Where the study lives; default a fresh in-memory storage. */
    public Builder storage(StudyStorage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** The sampler; default a random sampler seeded with {@link #seed} if given. */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /** The scheduler (pruner); default none. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** A space declared up front; its parameters are suggested at the start of every trial. */
    public Builder space(SearchSpace space) {
      this.space = Objects.requireNonNull(space, "space");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(StudyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The time the study reads (trial timestamps, timeouts, heartbeats) and waits on; default the
     * system's. Tests pass a fake to drive time instead of sleeping.
     */
    public Builder time(Clock clock, Sleeper sleeper) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The seed of the default sampler. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Declares the objective noisy: evaluating one configuration twice may give different values,
     * so a model-based sampler may propose a configuration again. Default false: the study keeps
     * TPE, GP, CMA-ES, NSGA-II, BOHB's KDE and {@code auto} from repeating a configuration (see
     * {@link RepeatGuard}).
     */
    public Builder noisy(boolean value) {
      this.noisy = value;
      return this;
    }

    /**
     * Limits on GPU-hours, energy, CO2 and wall time (see {@link StudyBudget}): {@link #optimize}
     * starts trials only while the forecast spending fits, and prunes running trials when a limit
     * is reached.
     */
    public Builder budget(StudyBudget value) {
      this.budget = Objects.requireNonNull(value, "budget");
      return this;
    }

    /**
     * Creates the study, or loads it if a study of that name exists. Without explicit objectives,
     * an existing study's objectives are used (or {@code value}, minimised).
     */
    public Study build() {
      if (budget != null && budget.isEmpty()) {
        budget = null;
      }
      if (storage == null) {
        storage = InMemoryStorage.create();
      }
      List<Objective> resolved = objectives;
      if (resolved == null) {
        resolved =
            storage
                .findStudy(name)
                .map(StudyRecord::objectives)
                .orElse(List.of(Objective.minimize("value")));
      }
      if (sampler == null) {
        sampler = seed == null ? RandomSampler.create() : RandomSampler.seeded(seed);
      }
      StudyRecord record = storage.createStudy(name, resolved);
      String description = sampler.describe();
      if (!description.equals(record.attrs().get("sampler"))) {
        storage.setStudyAttr(name, "sampler", description);
      }
      if (budget != null && !budget.limits().equals(record.attrs().get(StudyBudget.STUDY_ATTR))) {
        storage.setStudyAttr(name, StudyBudget.STUDY_ATTR, budget.limits());
      }
      if (seed != null && !seed.equals(asLong(record.attrs().get("seed")))) {
        storage.setStudyAttr(name, "seed", seed);
      }
      return new Study(this, record.objectives());
    }

    private static Long asLong(Object value) {
      return value instanceof Number n ? n.longValue() : null;
    }
  }
}
