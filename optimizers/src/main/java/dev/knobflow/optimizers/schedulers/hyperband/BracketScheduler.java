package dev.knobflow.optimizers.schedulers.hyperband;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Successive halving, Hyperband and ASHA, with promotion by new trials.
 *
 * <p><b>How promotion works.</b> Every trial evaluates one configuration at one budget, the one
 * {@link #budgetFor} grants ({@code trial.budget()}). A configuration that earns a larger budget is
 * continued by a new <em>child</em> trial: same parameters (fixed through {@code fixed_params}),
 * the next rung's budget, and the system attribute {@value Checkpoint#PARENT_ATTR} naming its
 * parent, so the objective can resume from the parent's {@link Checkpoint}.
 *
 * <p><b>State.</b> Everything is derived from storage: a trial's bracket instance ({@value
 * #BRACKET_ATTR}), rung ({@value #RUNG_ATTR}) and promotion claim ({@value #CLAIM_ATTR}) are
 * written atomically with its creation ({@link #creationAttributes}). A new study on the same
 * storage, or another worker, sees the same brackets and continues them.
 *
 * <p><b>Races.</b> Two workers may pick the same configuration to promote at the same moment. Both
 * child trials are created with a claim on the same parent; since trial numbers are assigned
 * atomically and the claim is part of the creation, every reader agrees that the lower-numbered
 * child holds the promotion. The other child becomes a new configuration at rung 0 of its bracket
 * (its parameters are sampled as usual). A parent is therefore promoted at most once. If a child
 * fails (or its worker dies), the configuration is not promoted again.
 *
 * <p><b>Synchronous vs asynchronous.</b> Hyperband and successive halving promote the top {@code
 * floor(n_i)} of a rung once every trial of the rung has finished; until then a free worker starts
 * the next bracket rather than wait. ASHA promotes as soon as a configuration is in the top {@code
 * 1/eta} of the results finished so far at its rung, and never waits: when nothing is promotable,
 * it starts a new configuration at the lowest rung.
 *
 * <p><b>Ranking.</b> {@link RungRanking}: by default by value for one objective and by
 * non-dominated rank and crowding distance for several; {@link #withRankBy(String)} ranks rungs by
 * one named objective alone (single-objective pruning of a multi-objective study). The objective is
 * checked against the study's objectives on the first trial this scheduler is asked about.
 */
public final class BracketScheduler implements Scheduler {

  /** System attribute: the bracket instance a trial belongs to (0, 1, 2, ...). */
  public static final String BRACKET_ATTR = "hb.bracket";

  /** System attribute: the rung a trial was created for. */
  public static final String RUNG_ATTR = "hb.rung";

  /** System attribute: the parent a trial claims to continue. */
  public static final String CLAIM_ATTR = "hb.claim";

  /** System attribute set on a trial whose claim another trial made first. */
  public static final String CLAIM_LOST_ATTR = "hb.claim_lost";

  private static final Set<TrialState> FINISHED =
      Set.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL);

  private final BudgetSettings settings;
  private final List<Bracket> cycle;
  private final boolean asynchronous;
  private final String kind;
  private final RungRanking ranking;

  private BracketScheduler(
      BudgetSettings settings,
      List<Bracket> cycle,
      boolean asynchronous,
      String kind,
      RungRanking ranking) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cycle = List.copyOf(cycle);
    this.asynchronous = asynchronous;
    this.kind = kind;
    this.ranking = Objects.requireNonNull(ranking, "scheduler.rank_by");
  }

  private BracketScheduler(
      BudgetSettings settings, List<Bracket> cycle, boolean asynchronous, String kind) {
    this(settings, cycle, asynchronous, kind, RungRanking.allObjectives());
  }

  /** Hyperband: the brackets {@code s_max .. 0} in turn, each synchronous successive halving. */
  public static BracketScheduler hyperband(BudgetSettings settings) {
    return new BracketScheduler(settings, settings.brackets(), false, "hyperband");
  }

  /** Synchronous successive halving: bracket {@code s_max} only, repeated. */
  public static BracketScheduler successiveHalving(BudgetSettings settings) {
    return new BracketScheduler(
        settings, List.of(settings.bracket(settings.maxBracket())), false, "successive-halving");
  }

  /**
   * Asynchronous successive halving (ASHA): one open-ended bracket from {@code minBudget} to {@code
   * maxBudget}; a configuration is promoted as soon as it is in the top 1/eta of its rung.
   */
  public static BracketScheduler asha(BudgetSettings settings) {
    return new BracketScheduler(
        settings, List.of(settings.bracket(settings.maxBracket())), true, "asha");
  }

  /**
   * This scheduler with rungs ranked by {@code ranking}; the default is {@link
   * RungRanking#allObjectives()}.
   */
  public BracketScheduler withRanking(RungRanking ranking) {
    return new BracketScheduler(settings, cycle, asynchronous, kind, ranking);
  }

  /**
   * This scheduler with rungs ranked by the objective named {@code objective} alone, in its
   * direction ({@link RungRanking#byObjective(String)}).
   */
  public BracketScheduler withRankBy(String objective) {
    return withRanking(RungRanking.byObjective(objective));
  }

  /** How rungs are ranked for promotion. */
  public RungRanking ranking() {
    return ranking;
  }

  /** The budget settings. */
  public BudgetSettings settings() {
    return settings;
  }

  /** The brackets in the order bracket instances cycle through them. */
  public List<Bracket> cycle() {
    return cycle;
  }

  /** The bracket of bracket instance {@code index}. */
  public Bracket bracketOf(int index) {
    return cycle.get(Math.floorMod(index, cycle.size()));
  }

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    // Promotion happens by new trials; a running trial always finishes its own budget.
    return false;
  }

  @Override
  public Map<String, Object> creationAttributes(StudyView study) {
    ranking.resolve(study.objectives()); // a bad rank_by fails on the first trial, not later
    return nextJob(Roles.of(study)).attributes();
  }

  @Override
  public Map<String, Object> trialAttributes(StudyView study, FrozenTrial trial) {
    ranking.resolve(study.objectives());
    if (!trial.systemAttrs().containsKey(BRACKET_ATTR)) {
      // An enqueued trial, created without our attributes: a new configuration at rung 0.
      Roles roles = Roles.of(study);
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put(BRACKET_ATTR, freshBracket(roles));
      attrs.put(RUNG_ATTR, 0);
      return attrs;
    }
    Object claim = trial.systemAttrs().get(CLAIM_ATTR);
    if (!(claim instanceof Number parentNumber)) {
      return Map.of();
    }
    Roles roles = Roles.of(study);
    Role role = roles.of(trial.number());
    if (role == null || role.parent() < 0) {
      return Map.of(CLAIM_LOST_ATTR, true);
    }
    FrozenTrial parent = roles.trial(parentNumber.intValue());
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(Checkpoint.PARENT_ATTR, parent.number());
    attrs.put("fixed_params", new LinkedHashMap<>(parent.params()));
    return attrs;
  }

  @Override
  public OptionalDouble budgetFor(StudyView study, FrozenTrial trial) {
    Role role = Roles.of(study).of(trial.number());
    if (role == null) {
      return OptionalDouble.of(settings.maxBudget());
    }
    return OptionalDouble.of(bracketOf(role.bracket()).budgetAt(role.rung()));
  }

  @Override
  public String describe() {
    return kind
        + "(min_budget="
        + settings.minBudget()
        + ", max_budget="
        + settings.maxBudget()
        + ", eta="
        + settings.eta()
        + (ranking.isAllObjectives() ? "" : ", rank_by=" + ranking.describe())
        + ")";
  }

  // --- the next job ----------------------------------------------------------------------------

  private record Job(int bracket, int rung, int parent) {
    Map<String, Object> attributes() {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put(BRACKET_ATTR, bracket);
      attrs.put(RUNG_ATTR, rung);
      if (parent >= 0) {
        attrs.put(CLAIM_ATTR, parent);
      }
      return attrs;
    }
  }

  private Job nextJob(Roles roles) {
    for (int instance : roles.instances()) {
      Bracket bracket = bracketOf(instance);
      for (int rung = bracket.s(); rung >= 1; rung--) {
        int parent = promotable(roles, instance, bracket, rung);
        if (parent >= 0) {
          return new Job(instance, rung, parent);
        }
      }
      if (!asynchronous && roles.members(instance, 0).size() < bracket.configs()) {
        return new Job(instance, 0, -1);
      }
    }
    return new Job(freshBracket(roles), 0, -1);
  }

  private int freshBracket(Roles roles) {
    if (asynchronous) {
      return 0;
    }
    for (int instance : roles.instances()) {
      if (roles.members(instance, 0).size() < bracketOf(instance).configs()) {
        return instance;
      }
    }
    return roles.instances().isEmpty()
        ? 0
        : roles.instances().get(roles.instances().size() - 1) + 1;
  }

  /** The best unclaimed configuration of rung {@code rung - 1} that may go to {@code rung}. */
  private int promotable(Roles roles, int instance, Bracket bracket, int rung) {
    List<Integer> below = roles.members(instance, rung - 1);
    List<FrozenTrial> finished = new ArrayList<>();
    for (int number : below) {
      FrozenTrial t = roles.trial(number);
      if (FINISHED.contains(t.state())) {
        finished.add(t);
      }
    }
    int slots;
    if (asynchronous) {
      slots = (int) Math.floor(finished.size() / settings.eta() + 1e-9);
    } else {
      boolean rungDone =
          below.size() >= bracket.configsAt(rung - 1) && finished.size() == below.size();
      slots = rungDone ? bracket.configsAt(rung) : 0;
    }
    if (slots == 0) {
      return -1;
    }
    List<FrozenTrial> ranked = ranking.rank(finished, roles.objectives());
    for (int k = 0; k < Math.min(slots, ranked.size()); k++) {
      FrozenTrial candidate = ranked.get(k);
      if (candidate.state() == TrialState.FAIL || candidate.values().isEmpty()) {
        break;
      }
      if (!roles.isClaimed(candidate.number())) {
        return candidate.number();
      }
    }
    return -1;
  }

  // --- roles derived from storage --------------------------------------------------------------

  /** A trial's place: bracket instance, rung, and the parent it continues (-1 for none). */
  record Role(int bracket, int rung, int parent) {}

  /** Every trial's role, derived in number order so the first claim on a parent wins. */
  static final class Roles {
    private final List<FrozenTrial> trials;
    private final List<Objective> objectives;
    private final Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    private final Map<Integer, Role> roles = new HashMap<>();
    private final Map<Integer, Integer> claimedBy = new HashMap<>();
    private final TreeMap<Integer, Map<Integer, List<Integer>>> members = new TreeMap<>();

    private Roles(List<FrozenTrial> trials, List<Objective> objectives) {
      this.trials = trials;
      this.objectives = objectives;
      for (FrozenTrial t : trials) {
        byNumber.put(t.number(), t);
        Object bracket = t.systemAttrs().get(BRACKET_ATTR);
        if (!(bracket instanceof Number b)) {
          continue;
        }
        int rung = t.systemAttrs().get(RUNG_ATTR) instanceof Number r ? r.intValue() : 0;
        int parent = -1;
        if (t.systemAttrs().get(CLAIM_ATTR) instanceof Number c) {
          if (claimedBy.putIfAbsent(c.intValue(), t.number()) == null) {
            parent = c.intValue();
          } else {
            rung = 0; // lost the race: a new configuration at rung 0
          }
        } else {
          rung = 0;
        }
        Role role = new Role(b.intValue(), rung, parent);
        roles.put(t.number(), role);
        members
            .computeIfAbsent(role.bracket(), k -> new HashMap<>())
            .computeIfAbsent(rung, k -> new ArrayList<>())
            .add(t.number());
      }
    }

    static Roles of(StudyView study) {
      return new Roles(study.trials(), study.objectives());
    }

    List<FrozenTrial> trials() {
      return trials;
    }

    List<Objective> objectives() {
      return objectives;
    }

    Role of(int number) {
      return roles.get(number);
    }

    FrozenTrial trial(int number) {
      return byNumber.get(number);
    }

    boolean isClaimed(int number) {
      return claimedBy.containsKey(number);
    }

    List<Integer> instances() {
      return new ArrayList<>(members.keySet());
    }

    List<Integer> members(int instance, int rung) {
      return members.getOrDefault(instance, Map.of()).getOrDefault(rung, List.of());
    }
  }
}
