package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.budget.CostMeter;
import dev.knobflow.optimizers.samplers.SamplerExhaustedException;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.schedulers.pbt.Population.Segment;
import dev.knobflow.time.Sleeper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Population-based training (Jaderberg et al. 2017), with each member's training cut into
 * <em>segments</em>, one trial each.
 *
 * <p><b>Segments.</b> A population of {@code population} members trains side by side. Each segment
 * of a member is a trial whose budget is one {@code interval} beyond the checkpoint it starts from
 * (the budget of its {@value Checkpoint#PARENT_ATTR}, 0 for a first segment): the objective loads
 * that checkpoint ({@code trial.checkpoint().load()}), trains up to its budget (a step count, in
 * the objective's own units), reports, and saves a checkpoint. The first segment of a member
 * (generation 0) is sampled by the study's sampler and starts from scratch.
 *
 * <p><b>Exploit and explore.</b> When a member's segment ends, its next segment is decided: the
 * latest finished segments of all members are ranked (by value for one objective, by Pareto rank
 * and crowding for several, or by one named objective). A member in the bottom {@code quantile}
 * copies a member of the top {@code quantile} (chosen at random): its checkpoint (the next
 * segment's parent is the donor's segment) and its hyperparameters, explored by {@link Explorer}.
 * Any other member continues from its own checkpoint with its own hyperparameters. A member whose
 * segment failed always exploits; when no member has a result it starts afresh. A segment whose
 * worker stopped under it (killed, marked stale or interrupted) is not a failure of the member: it
 * is left out of the population and the member runs that generation again (as {@code resume} does
 * after a {@code kill -9}).
 *
 * <p><b>Synchronous or asynchronous.</b> Asynchronously (the default, as Ray Tune's {@code
 * PopulationBasedTraining}) a member continues once its own segment ends, ranked against the latest
 * results of the others (each member's last finished segment, at its last interval boundary); of
 * the members waiting to continue, the one with the least budget trained goes first (ties by member
 * index), as Ray runs the paused trial with the fewest iterations, so the population stays at
 * comparable budgets. Synchronously every member of generation {@code g} ends before any member
 * starts generation {@code g + 1}, and ranking compares generation {@code g} alone; a worker with
 * nothing to start waits for the generation, looking again every {@code pollInterval}.
 *
 * <p><b>Ranking at equal budget</b> ({@link PbtSettings#equalBudgetRanking()}, asynchronous mode,
 * opt-in). Members then stand at different budgets, and a member further along (one that copied a
 * checkpoint ahead of its own) outscores the others for its extra training alone, so the members
 * behind keep exploiting whichever lineage is ahead until the whole population descends from it.
 * With this option each member is judged by its lineage's result at the deciding member's budget
 * (the latest segment up its checkpoint chain, through the donors it copied, that trained no
 * further), and a donor is still copied at its latest checkpoint.
 *
 * <p><b>Total budget.</b> {@link #trainedBudget()} is a study budget on the units the population
 * actually trains (each segment's budget minus its start, {@value #START_ATTR}), to give PBT a
 * total compute budget.
 *
 * <p><b>Maximum budget.</b> With {@link PbtSettings#maxBudget()} no segment trains beyond it, a
 * member that reached it is done (and, as Ray leaves out finished trials, no longer ranked or
 * copied), and once every member is done {@code ask()} throws {@link SamplerExhaustedException}, so
 * {@code optimize} ends with the stop reason {@code exhausted}.
 *
 * <p><b>State.</b> Everything is in storage: a segment's member ({@value #MEMBER_ATTR}), generation
 * ({@value #GENERATION_ATTR}), the segment it continues ({@value #CLAIM_ATTR}), its checkpoint's
 * parent, its fixed hyperparameters and, when it exploited, its lineage ({@value #EXPLOIT_ATTR}:
 * the member and trial it copied, at which generation) are written atomically with the trial's
 * creation. Every decision draws from its own random stream (seed, member, generation), so another
 * worker, or the same study resumed after a crash, decides the same. Two workers that continue the
 * same segment at the same moment both create a trial; the lower-numbered one holds the claim and
 * the other picks another member (or, when none is free, runs as a spare that ranking ignores).
 */
public final class PbtScheduler implements Scheduler {

  /** System attribute: the population member a segment belongs to. */
  public static final String MEMBER_ATTR = "pbt.member";

  /** System attribute: the generation (segment index) of a segment. */
  public static final String GENERATION_ATTR = "pbt.generation";

  /** System attribute: the trial number of the segment this one continues. */
  public static final String CLAIM_ATTR = "pbt.claim";

  /**
   * System attribute on a segment that exploited: a map with {@code from_member}, {@code
   * from_trial} and {@code generation}, its lineage.
   */
  public static final String EXPLOIT_ATTR = "pbt.exploit";

  /**
   * System attribute set on a trial that lost a claim race: it runs as a spare that the population
   * ignores. (Re-deciding its job after creation could race with a newer trial's creation claim, so
   * it keeps its lost claim and is simply not counted.)
   */
  public static final String SPARE_ATTR = "pbt.spare";

  /**
   * System attribute: the budget of the checkpoint a segment starts from (its own member's last
   * segment, or the donor's when it exploited); absent on a first segment, which starts from 0. A
   * segment trains its budget minus this.
   */
  public static final String START_ATTR = "pbt.start";

  /** The name of {@link #trainedBudget()}'s budget, as {@code show} reports it. */
  public static final String TRAINED_BUDGET = "trained_budget";

  private final PbtSettings settings;
  private final Explorer explorer;
  private final Sleeper sleeper;

  private PbtScheduler(PbtSettings settings, Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.explorer = new Explorer(settings);
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** PBT with the given settings, waiting with {@link Sleeper#SYSTEM}. */
  public static PbtScheduler create(PbtSettings settings) {
    return new PbtScheduler(settings, Sleeper.SYSTEM);
  }

  /**
   * PBT with the given settings and the caller's sleeper for the synchronous wait (tests drive it
   * without sleeping).
   */
  public static PbtScheduler create(PbtSettings settings, Sleeper sleeper) {
    return new PbtScheduler(settings, sleeper);
  }

  /** The settings. */
  public PbtSettings settings() {
    return settings;
  }

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    // A segment always trains to its own budget; a weak member is replaced at its next segment.
    return false;
  }

  @Override
  public Map<String, Object> creationAttributes(StudyView study) {
    settings.ranking().resolve(study.objectives());
    return awaitJob(study, new Population(study.trials()));
  }

  @Override
  public Map<String, Object> trialAttributes(StudyView study, FrozenTrial trial) {
    Population population = new Population(study.trials());
    if (!trial.systemAttrs().containsKey(MEMBER_ATTR)) {
      // An enqueued configuration: it seeds a member of the first generation while there is room.
      int free = freeMember(population);
      return free < 0 ? Map.of() : Map.of(MEMBER_ATTR, free, GENERATION_ATTR, 0);
    }
    if (!population.isSpare(trial.number())) {
      return Map.of();
    }
    return Map.of(SPARE_ATTR, true);
  }

  /** The next job, waiting (synchronous mode) until there is one. */
  private Map<String, Object> awaitJob(StudyView study, Population first) {
    Population population = first;
    while (true) {
      Optional<Map<String, Object>> job = nextJob(study, population);
      if (job.isPresent()) {
        return job.get();
      }
      try {
        sleeper.sleep(settings.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the PBT generation", e);
      }
      population = new Population(study.trials());
    }
  }

  @Override
  public OptionalDouble budgetFor(StudyView study, FrozenTrial trial) {
    // A segment trains one interval beyond the checkpoint it starts from: its own member's, or the
    // copied member's, which may be further along in asynchronous mode.
    double start = 0;
    if (trial.systemAttrs().get(Checkpoint.PARENT_ATTR) instanceof Number parent) {
      for (FrozenTrial t : study.trials()) {
        if (t.number() == parent.intValue()) {
          start = Double.isNaN(t.budget()) ? 0 : t.budget();
          break;
        }
      }
    }
    return OptionalDouble.of(Math.min(start + settings.interval(), settings.maxBudget()));
  }

  @Override
  public String describe() {
    return "pbt(population="
        + settings.population()
        + ", interval="
        + format(settings.interval())
        + ", quantile="
        + format(settings.quantile())
        + ", mode="
        + (settings.synchronous() ? "sync" : "async")
        + (settings.hasMaxBudget() ? ", max_budget=" + format(settings.maxBudget()) : "")
        + (settings.equalBudgetRanking() && !settings.synchronous() ? ", rank_at=equal_budget" : "")
        + (settings.ranking().isAllObjectives() ? "" : ", rank_by=" + settings.ranking().describe())
        + ")";
  }

  /**
   * A study budget on the budget units the population actually trains (epochs, steps: the
   * objective's own units), so a PBT study can be given a total compute budget, {@code population x
   * epochs} say, as Ray Tune's stoppers bound an experiment. A segment's cost is its budget minus
   * the budget of the checkpoint it started from ({@value #START_ATTR}): a member that copies a
   * donor's checkpoint ahead of its own pays only for the interval it trains, so the study keeps
   * training until the units are spent instead of ending early when every member reached a maximum
   * budget. Every segment but a last one capped by {@code max_budget} costs one {@code interval},
   * so the budget's forecast is exact and the study ends at the limit:
   *
   * <pre>{@code
   * Study.builder("pbt")
   *     .scheduler(PbtScheduler.create(PbtSettings.builder(8, 2).build()))
   *     .budget(StudyBudget.builder().limit(PbtScheduler.trainedBudget(), 8 * 18).build())
   * }</pre>
   */
  public static CostMeter trainedBudget() {
    return new CostMeter() {
      @Override
      public String name() {
        return TRAINED_BUDGET;
      }

      @Override
      public OptionalDouble cost(FrozenTrial trial) {
        if (!(trial.systemAttrs().get(MEMBER_ATTR) instanceof Number)
            || Double.isNaN(trial.budget())) {
          return OptionalDouble.empty();
        }
        double start =
            trial.systemAttrs().get(START_ATTR) instanceof Number n ? n.doubleValue() : 0;
        return OptionalDouble.of(Math.max(0, trial.budget() - start));
      }
    };
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  // --- the next job ----------------------------------------------------------------------------

  private Optional<Map<String, Object>> nextJob(StudyView study, Population population) {
    int free = freeMember(population);
    if (free >= 0) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put(MEMBER_ATTR, free);
      attrs.put(GENERATION_ATTR, 0);
      return Optional.of(attrs);
    }
    Optional<Segment> next = continuable(population);
    if (next.isEmpty() && populationDone(population)) {
      throw new SamplerExhaustedException(
          "pbt: every member has trained max_budget " + format(settings.maxBudget()));
    }
    return next.map(s -> continuation(study, population, s));
  }

  /** The lowest member index without a segment, or -1 when the population is complete. */
  private int freeMember(Population population) {
    List<Integer> started = population.members();
    for (int m = 0; m < settings.population(); m++) {
      if (!started.contains(m)) {
        return m;
      }
    }
    return -1;
  }

  /**
   * The finished, not yet continued latest segment to continue next. Asynchronously the member with
   * the least budget trained goes first (ties by member index), as Ray Tune runs the paused trial
   * with the fewest iterations: members that copied a checkpoint ahead wait for the others, so the
   * population stays at comparable budgets and ranks like against like. Synchronously, the lowest
   * generation once it has finished. A member at the maximum budget is done.
   */
  private Optional<Segment> continuable(Population population) {
    Segment best = null;
    int lowestGeneration = Integer.MAX_VALUE;
    for (int member : population.members()) {
      Segment s = population.latest(member).orElseThrow();
      lowestGeneration = Math.min(lowestGeneration, s.generation());
    }
    for (Segment s : population.latestFinished()) {
      if (population.isContinued(s.trial().number()) || done(s)) {
        continue;
      }
      if (settings.synchronous()) {
        if (s.generation() != lowestGeneration || !generationFinished(population, s.generation())) {
          continue;
        }
        if (best == null || s.generation() < best.generation()) {
          best = s;
        }
      } else if (best == null || budgetOf(s.trial()) < budgetOf(best.trial())) {
        // Members come in index order, so a tie keeps the lower member.
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the member of this (latest) segment has trained its maximum budget. */
  private boolean done(Segment s) {
    return settings.hasMaxBudget()
        && hasResult(s.trial())
        && budgetOf(s.trial()) >= settings.maxBudget() - 1e-9;
  }

  /** Whether every member exists and has trained its maximum budget: nothing is left to start. */
  private boolean populationDone(Population population) {
    if (!settings.hasMaxBudget() || population.members().size() < settings.population()) {
      return false;
    }
    for (int member : population.members()) {
      Segment s = population.latest(member).orElseThrow();
      if (!s.finished() || !done(s)) {
        return false;
      }
    }
    return true;
  }

  private static double budgetOf(FrozenTrial t) {
    return Double.isNaN(t.budget()) ? 0 : t.budget();
  }

  private boolean generationFinished(Population population, int generation) {
    List<Segment> segments = population.generation(generation);
    if (segments.size() < settings.population()) {
      return false;
    }
    for (Segment s : segments) {
      if (!s.finished()) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Object> continuation(StudyView study, Population population, Segment s) {
    int generation = s.generation() + 1;
    SplittableRandom rng =
        new SplittableRandom(Seeds.mix(Seeds.mix(settings.seed(), s.member()), generation));
    // Asynchronously, every member's latest result at its last interval boundary (running members
    // included, with the segment before the one they run), as Ray Tune ranks its trials' last
    // scores at their perturbation points; members that are done are left out, as Ray leaves out
    // finished trials.
    List<Segment> pool =
        settings.synchronous()
            ? population.generation(s.generation())
            : population.latestResults().stream()
                .filter(o -> o.trial().number() == s.trial().number() || !done(o))
                .toList();
    List<FrozenTrial> ranked = rank(study, pool, s);
    int k = quantileSize(ranked.size());
    List<FrozenTrial> top = new ArrayList<>();
    for (FrozenTrial t : ranked.subList(0, k)) {
      if (hasResult(t)) {
        top.add(t);
      }
    }
    boolean failed = !hasResult(s.trial());
    int position = ranked.indexOf(s.trial());
    boolean bottom = failed || (k > 0 && position >= ranked.size() - k);
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(MEMBER_ATTR, s.member());
    attrs.put(GENERATION_ATTR, generation);
    attrs.put(CLAIM_ATTR, s.trial().number());
    if (bottom && !top.isEmpty() && !top.contains(s.trial())) {
      FrozenTrial donor = top.get(rng.nextInt(top.size()));
      int donorMember = population.segment(donor.number()).orElseThrow().member();
      attrs.put(Checkpoint.PARENT_ATTR, donor.number());
      attrs.put(START_ATTR, budgetOf(donor));
      attrs.put("fixed_params", explorer.explore(donor.params(), donor.distributions(), rng));
      Map<String, Object> lineage = new LinkedHashMap<>();
      lineage.put("from_member", donorMember);
      lineage.put("from_trial", donor.number());
      lineage.put("generation", generation);
      attrs.put(EXPLOIT_ATTR, lineage);
    } else if (failed) {
      // Nobody to copy from: the member starts afresh with newly sampled hyperparameters.
      return attrs;
    } else {
      attrs.put(Checkpoint.PARENT_ATTR, s.trial().number());
      attrs.put(START_ATTR, budgetOf(s.trial()));
      attrs.put("fixed_params", new LinkedHashMap<>(s.trial().params()));
    }
    return attrs;
  }

  /**
   * The pool's segments (each member's latest result) ordered best first: by their own results, as
   * Ray Tune ranks, or asynchronously with {@link PbtSettings#equalBudgetRanking()} each lineage at
   * the deciding segment's budget ({@link LineageRanking}).
   */
  private List<FrozenTrial> rank(StudyView study, List<Segment> pool, Segment s) {
    List<FrozenTrial> latest = pool.stream().map(Segment::trial).toList();
    if (settings.synchronous() || !settings.equalBudgetRanking()) {
      return settings.ranking().rank(latest, study.objectives());
    }
    return LineageRanking.atBudget(settings.ranking(), study, latest, budgetOf(s.trial()));
  }

  /** Ray Tune's rule: ceil(n * quantile) members, at most half of them. */
  private int quantileSize(int n) {
    if (n < 2) {
      return 0;
    }
    int k = (int) Math.ceil(n * settings.quantile() - 1e-9);
    return Math.min(k, n / 2);
  }

  private static boolean hasResult(FrozenTrial t) {
    return (t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED)
        && !t.values().isEmpty();
  }

  // --- reading a member's story back -----------------------------------------------------------

  /**
   * The trials whose checkpoints a segment may still start from: for every member's latest segment,
   * every member's latest finished segment (while a member runs a segment, the one before it is
   * still its latest result, which another member may copy) and every unfinished trial, the nearest
   * trial up its {@value Checkpoint#PARENT_ATTR} chain (itself included) that saved a checkpoint,
   * and the trials on the way. Any other trial's checkpoint can be deleted.
   */
  public static java.util.Set<Integer> checkpointsInUse(StudyView study) {
    return checkpointsInUse(study.trials());
  }

  /** {@link #checkpointsInUse(StudyView)} of a study whose trials are {@code trials}. */
  public static java.util.Set<Integer> checkpointsInUse(List<FrozenTrial> trials) {
    Map<Integer, FrozenTrial> byNumber = new java.util.HashMap<>();
    for (FrozenTrial t : trials) {
      byNumber.put(t.number(), t);
    }
    Population population = new Population(trials);
    List<FrozenTrial> roots = new ArrayList<>();
    for (int member : population.members()) {
      roots.add(population.latest(member).orElseThrow().trial());
    }
    for (Segment s : population.latestResults()) {
      roots.add(s.trial());
    }
    for (FrozenTrial t : trials) {
      if (t.state() == TrialState.RUNNING || t.state() == TrialState.WAITING) {
        roots.add(t);
      }
    }
    java.util.Set<Integer> inUse = new java.util.HashSet<>();
    for (FrozenTrial root : roots) {
      FrozenTrial current = root;
      while (current != null && inUse.add(current.number())) {
        if (current.systemAttrs().containsKey(Checkpoint.PATH_ATTR)
            || current.systemAttrs().containsKey(Checkpoint.LOCATION_ATTR)
            || current.systemAttrs().containsKey(Checkpoint.BYTES_ATTR)) {
          break;
        }
        current =
            current.systemAttrs().get(Checkpoint.PARENT_ATTR) instanceof Number p
                ? byNumber.get(p.intValue())
                : null;
      }
    }
    return inUse;
  }

  /**
   * The member's hyperparameter schedule as stored: one entry per segment in generation order, each
   * with the trial, the budget it trained to, its parameters and, when it exploited, its lineage.
   */
  public static List<Map<String, Object>> schedule(StudyView study, int member) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Segment s : new Population(study.trials()).history(member)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("trial", s.trial().number());
      entry.put("generation", s.generation());
      entry.put("budget", s.trial().budget());
      entry.put("params", s.trial().params());
      Object exploit = s.trial().systemAttrs().get(EXPLOIT_ATTR);
      if (exploit != null) {
        entry.put("exploit", exploit);
      }
      out.add(entry);
    }
    return out;
  }
}
