package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import dev.knobflow.optimizers.schedulers.bohb.BohbModel;
import dev.knobflow.optimizers.schedulers.bohb.BohbSettings;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.optimizers.schedulers.pruners.PatientPruner;
import dev.knobflow.optimizers.schedulers.pruners.PercentilePruner;
import dev.knobflow.optimizers.schedulers.pruners.PruningWindow;
import dev.knobflow.optimizers.schedulers.pruners.ThresholdPruner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads, validates and builds the study file's {@code scheduler} section:
 *
 * <pre>{@code
 * scheduler: {type: hyperband, min_budget: 10, max_budget: 270, eta: 3}
 * scheduler: {type: hyperband, min_budget: 10, max_budget: 270, rank_by: accuracy}
 * scheduler: {type: median, startup_trials: 5, warmup_steps: 2}
 * scheduler: {type: pbt, population: 8, interval: 4, quantile: 0.25, mode: async, max_budget: 40}
 * scheduler: {type: pbt, population: 8, interval: 2, rank_at: equal_budget}
 * }</pre>
 *
 * <p>Pruners ({@code median}, {@code percentile}, {@code threshold}, {@code patient}) stop a trial
 * on its reported steps; bracket schedulers ({@code successive_halving}, {@code hyperband}, {@code
 * asha}, {@code bohb}) grant each trial a budget and promote the best to larger ones, ranking a
 * rung by all objectives (Pareto rank and crowding) or, with {@code rank_by}, by one named
 * objective. Population-based training ({@code pbt}) trains a population in segments of {@code
 * interval} steps, each segment a trial that resumes from a checkpoint, until each member reaches
 * {@code max_budget} (when given); {@code rank_at: equal_budget} (async) ranks lineages at equal
 * budget ({@link PbtSettings#equalBudgetRanking()}).
 *
 * <p><b>BOHB rule.</b> BOHB is a sampler and a scheduler that share their budgets. {@code
 * scheduler: {type: bohb, ...}} implies {@code sampler: {type: bohb}} when the file has no {@code
 * sampler}, and rejects any other sampler; {@code sampler: {type: bohb}} requires {@code scheduler:
 * {type: bohb, ...}}. The budgets live in the scheduler section, the KDE settings in the sampler
 * section.
 */
public final class SchedulerSection {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SchedulerSection.class);

  /** The scheduler types, in documentation order. */
  public static final List<String> TYPES =
      List.of(
          "none",
          "median",
          "percentile",
          "threshold",
          "patient",
          "successive_halving",
          "hyperband",
          "asha",
          "bohb",
          "pbt");

  private static final List<String> PRUNERS = List.of("median", "percentile", "threshold");
  private static final List<String> SINGLE_OBJECTIVE = List.of("median", "percentile", "patient");
  private static final List<String> WINDOW_KEYS =
      List.of("startup_trials", "warmup_steps", "interval_steps");
  private static final List<String> BUDGET_KEYS =
      List.of("min_budget", "max_budget", "eta", "rank_by");
  private static final List<String> PBT_KEYS =
      List.of(
          "population",
          "interval",
          "quantile",
          "resample_probability",
          "perturbation_factors",
          "mode",
          "max_budget",
          "rank_by",
          "rank_at");

  /**
   * PBT's {@code rank_at} values: each member's latest result, or its lineage's at equal budget.
   */
  private static final List<String> RANK_AT = List.of("latest", "equal_budget");

  private SchedulerSection() {}

  /** The keys a scheduler type accepts besides {@code type}. */
  static List<String> keysOf(String type) {
    List<String> keys = new ArrayList<>();
    switch (type) {
      case "median" -> keys.addAll(WINDOW_KEYS);
      case "percentile" -> {
        keys.add("percentile");
        keys.addAll(WINDOW_KEYS);
      }
      case "threshold" -> {
        keys.add("lower");
        keys.add("upper");
        keys.addAll(WINDOW_KEYS);
      }
      case "patient" -> keys.addAll(List.of("patience", "min_delta", "wrapped"));
      case "successive_halving", "hyperband", "asha", "bohb" -> keys.addAll(BUDGET_KEYS);
      case "pbt" -> keys.addAll(PBT_KEYS);
      default -> {}
    }
    return keys;
  }

  /**
   * Reads {@code scheduler} from the top level of a study file; absent means {@link
   * SchedulerSpec#none()}. Problems are recorded with their paths.
   *
   * @param objectiveCount how many objectives the study has (pruners that follow one value need 1)
   */
  public static SchedulerSpec parse(Section top, int objectiveCount) {
    return parse(top, objectiveCount, List.of());
  }

  /**
   * As {@link #parse(Section, int)}, also checking {@code rank_by} against the study's objectives.
   *
   * @param objectiveNames the study's objective names; empty when unknown (then {@code rank_by} is
   *     checked when the scheduler is first used)
   */
  public static SchedulerSpec parse(Section top, List<String> objectiveNames) {
    return parse(top, objectiveNames.size(), objectiveNames);
  }

  private static SchedulerSpec parse(Section top, int objectiveCount, List<String> objectiveNames) {
    if (!top.has("scheduler")) {
      return SchedulerSpec.none();
    }
    Optional<Section> section = sectionOf(top.raw("scheduler"), "scheduler", top.problems());
    if (section.isEmpty()) {
      return SchedulerSpec.none();
    }
    return parseSection(section.get(), TYPES, objectiveCount, objectiveNames)
        .orElse(SchedulerSpec.none());
  }

  /**
   * Applies the BOHB rule to the sampler the file names ({@code samplerGiven}) or the default.
   *
   * @return the sampler to use: {@code bohb} when the scheduler is BOHB and no sampler was given
   */
  public static SamplerSpec reconcile(
      Section top, SamplerSpec sampler, boolean samplerGiven, SchedulerSpec scheduler) {
    boolean bohbSampler = "bohb".equals(sampler.type());
    if (scheduler.isBohb() && !samplerGiven) {
      return new SamplerSpec("bohb", Map.of());
    }
    if (scheduler.isBohb() && !bohbSampler) {
      top.problems()
          .add(
              "sampler.type",
              "the bohb scheduler brings its own sampler; remove sampler or set sampler.type: bohb"
                  + " (for another sampler with the same brackets use scheduler.type: hyperband),"
                  + " got '"
                  + sampler.type()
                  + "'");
    } else if (bohbSampler && !scheduler.isBohb()) {
      top.problems()
          .add(
              top.has("scheduler") ? "scheduler.type" : "scheduler",
              "sampler.type bohb needs its budgets: scheduler: {type: bohb, min_budget: ...,"
                  + " max_budget: ...}"
                  + (top.has("scheduler") ? ", got '" + scheduler.type() + "'" : ""));
    }
    return sampler;
  }

  private static Optional<Section> sectionOf(Object raw, String path, Problems problems) {
    if (raw instanceof String s) {
      // Shorthand: scheduler: median
      Map<String, Object> asMap = new LinkedHashMap<>();
      asMap.put("type", s);
      raw = asMap;
    }
    return Section.of(raw, path, problems);
  }

  private static Optional<SchedulerSpec> parseSection(
      Section s, List<String> allowedTypes, int objectiveCount, List<String> objectiveNames) {
    String allowed = String.join(", ", allowedTypes);
    if (!s.require("type", "one of " + allowed)) {
      return Optional.empty();
    }
    String type = s.string("type").orElse("");
    if (!allowedTypes.contains(type)) {
      s.problem(
          "type",
          "unknown scheduler '"
              + type
              + "'; allowed: "
              + allowed
              + Suggestions.hint(type, allowedTypes));
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>(List.of("type"));
    keys.addAll(keysOf(type));
    s.allowOnly(keys);
    int before = s.problems().size();
    if (SINGLE_OBJECTIVE.contains(type) && objectiveCount > 1) {
      s.problem(
          "type",
          "the "
              + type
              + " pruner follows one value per step, but the study has "
              + objectiveCount
              + " objectives; use threshold, successive_halving, hyperband, asha or bohb (they"
              + " rank several objectives by Pareto fronts)");
    }
    Map<String, Object> settings = new LinkedHashMap<>(s.asMap());
    settings.remove("type");
    validate(s, type, objectiveCount, objectiveNames, settings);
    SchedulerSpec spec = new SchedulerSpec(type, settings);
    if (s.problems().size() == before && !spec.isBohb()) {
      // The engine's own rules as a last line; its messages already name scheduler.<key>.
      try {
        create(spec);
      } catch (IllegalArgumentException e) {
        s.problems().add(s.path(), e.getMessage());
      }
    }
    return Optional.of(spec);
  }

  private static void validate(
      Section s,
      String type,
      int objectiveCount,
      List<String> objectiveNames,
      Map<String, Object> settings) {
    if (WINDOW_KEYS.stream().anyMatch(keysOf(type)::contains)) {
      s.integerAtLeast("startup_trials", 0);
      s.integerAtLeast("warmup_steps", 0);
      s.integerAtLeast("interval_steps", 1);
    }
    switch (type) {
      case "percentile" -> {
        if (s.require("percentile", "a number in [0, 100], e.g. percentile: 25")) {
          ModelSamplerTypes.numberIn(s, "percentile", 0, 100);
        }
      }
      case "threshold" -> {
        Optional<Double> lower = s.number("lower");
        Optional<Double> upper = s.number("upper");
        if (lower.isPresent() && upper.isPresent() && lower.get() > upper.get()) {
          s.problem(
              "lower",
              "must not be above scheduler.upper (" + upper.get() + "), got " + lower.get());
        }
      }
      case "patient" -> {
        if (s.require("patience", "the steps without improvement to allow, e.g. patience: 3")) {
          s.integerAtLeast("patience", 0);
        }
        ModelSamplerTypes.numberAtLeast(s, "min_delta", 0);
        s.section("wrapped")
            .flatMap(w -> parseSection(w, PRUNERS, objectiveCount, objectiveNames))
            .ifPresent(w -> settings.put("wrapped", w));
      }
      case "successive_halving", "hyperband", "asha", "bohb" -> {
        boolean hasMin = s.require("min_budget", "the smallest budget, e.g. min_budget: 10");
        boolean hasMax = s.require("max_budget", "the largest budget, e.g. max_budget: 270");
        Optional<Double> min = hasMin ? s.number("min_budget") : Optional.empty();
        Optional<Double> max = hasMax ? s.number("max_budget") : Optional.empty();
        if (min.isPresent() && !(min.get() > 0)) {
          s.problem("min_budget", "must be above 0, got " + min.get());
        } else if (min.isPresent() && max.isPresent() && min.get() >= max.get()) {
          s.problem(
              "min_budget",
              "must be below scheduler.max_budget (" + max.get() + "), got " + min.get());
        }
        s.number("eta")
            .filter(e -> e < 2)
            .ifPresent(e -> s.problem("eta", "must be at least 2, got " + e));
        rankBy(s, objectiveNames);
      }
      case "pbt" -> {
        if (s.require("population", "the members trained side by side, e.g. population: 8")) {
          s.integerAtLeast("population", 2);
        }
        if (s.require(
            "interval", "the steps a member trains between perturbations, e.g. interval: 4")) {
          s.number("interval")
              .filter(v -> !(v > 0))
              .ifPresent(v -> s.problem("interval", "must be above 0, got " + v));
        }
        s.number("quantile")
            .filter(q -> !(q > 0 && q <= 0.5))
            .ifPresent(q -> s.problem("quantile", "must be in (0, 0.5], got " + q));
        ModelSamplerTypes.numberIn(s, "resample_probability", 0, 1);
        if (s.has("perturbation_factors") && perturbationFactors(settings).isEmpty()) {
          s.problem(
              "perturbation_factors",
              "must be two numbers [down, up] with 0 < down < 1 < up, e.g. [0.8, 1.2], got "
                  + Section.describe(s.raw("perturbation_factors")));
        }
        if (s.has("mode")
            && !(s.raw("mode") instanceof String m && (m.equals("async") || m.equals("sync")))) {
          s.problem("mode", "must be async or sync, got " + Section.describe(s.raw("mode")));
        }
        s.number("max_budget")
            .filter(v -> !(v > 0) || Double.isInfinite(v))
            .ifPresent(
                v ->
                    s.problem(
                        "max_budget",
                        "must be a number above 0 (the budget at which a member stops), got " + v));
        rankBy(s, objectiveNames);
        rankAt(s);
      }
      default -> {}
    }
  }

  /** {@code perturbation_factors: [down, up]}, when it is two numbers with 0 < down < 1 < up. */
  private static Optional<double[]> perturbationFactors(Map<String, Object> s) {
    if (!(s.get("perturbation_factors") instanceof List<?> l) || l.size() != 2) {
      return Optional.empty();
    }
    Optional<Double> down = Section.asNumber(l.get(0));
    Optional<Double> up = Section.asNumber(l.get(1));
    if (down.isEmpty() || up.isEmpty()) {
      return Optional.empty();
    }
    double d = down.get();
    double u = up.get();
    return d > 0 && d < 1 && u > 1 && Double.isFinite(u)
        ? Optional.of(new double[] {d, u})
        : Optional.empty();
  }

  /**
   * Checks PBT's {@code rank_at}: {@code latest} or {@code equal_budget}, the latter only
   * asynchronously (the engine ignores it in sync mode, where a generation is ranked at one budget
   * anyway, so a file asking for it there is refused rather than silently ignored).
   */
  private static void rankAt(Section s) {
    if (!s.has("rank_at")) {
      return;
    }
    Object raw = s.raw("rank_at");
    if (!(raw instanceof String v) || !RANK_AT.contains(v)) {
      s.problem(
          "rank_at",
          "must be latest (each member's latest result, the default) or equal_budget (each"
              + " member's lineage at the deciding member's budget), got "
              + Section.describe(raw)
              + (raw instanceof String w ? Suggestions.hint(w, RANK_AT) : ""));
      return;
    }
    if (v.equals("equal_budget") && "sync".equals(s.raw("mode"))) {
      s.problem(
          "rank_at",
          "equal_budget applies to mode: async only (a synchronous generation is ranked at one"
              + " budget already); remove rank_at or use mode: async");
    }
  }

  /** Checks {@code rank_by}: one of the study's objective names (when they are known). */
  private static void rankBy(Section s, List<String> objectiveNames) {
    if (!s.has("rank_by")) {
      return;
    }
    String allowed =
        objectiveNames.isEmpty()
            ? "one of the study's objective names"
            : "one of the study's objectives: " + String.join(", ", objectiveNames);
    Object raw = s.raw("rank_by");
    if (!(raw instanceof String name) || name.isBlank()) {
      s.problem(
          "rank_by",
          "must be "
              + allowed
              + " (leave it out to rank by all objectives), got "
              + Section.describe(raw));
      return;
    }
    if (!objectiveNames.isEmpty() && !objectiveNames.contains(name)) {
      s.problem(
          "rank_by",
          "'"
              + name
              + "' is not an objective; must be "
              + allowed
              + " (leave it out to rank by all objectives)"
              + Suggestions.hint(name, objectiveNames));
    }
  }

  /**
   * Builds a validated scheduler spec (not BOHB, see {@link #bohb}).
   *
   * @throws IllegalArgumentException with the engine's message if a setting is out of range
   */
  public static Scheduler create(SchedulerSpec spec) {
    return create(spec, OptionalLong.empty());
  }

  /**
   * As {@link #create(SchedulerSpec)}, with the study's seed for schedulers that draw random
   * decisions (PBT's exploit and explore).
   */
  public static Scheduler create(SchedulerSpec spec, OptionalLong seed) {
    Map<String, Object> s = spec.settings();
    return switch (spec.type()) {
      case "none" -> Scheduler.none();
      case "median" -> PercentilePruner.median().withWindow(window(s, PruningWindow.defaults()));
      case "percentile" ->
          PercentilePruner.of(number(s, "percentile", 50))
              .withWindow(window(s, PruningWindow.defaults()));
      case "threshold" ->
          ThresholdPruner.of(number(s, "lower", Double.NaN), number(s, "upper", Double.NaN))
              .withWindow(window(s, PruningWindow.always()));
      case "patient" -> {
        int patience = (int) number(s, "patience", 0);
        double minDelta = number(s, "min_delta", 0);
        yield s.get("wrapped") instanceof SchedulerSpec wrapped
            ? PatientPruner.wrapping(create(wrapped), patience, minDelta)
            : minDelta == 0 ? PatientPruner.of(patience) : unwrappedWithDelta(patience, minDelta);
      }
      case "successive_halving" ->
          BracketScheduler.successiveHalving(budgets(s)).withRanking(ranking(s));
      case "hyperband" -> BracketScheduler.hyperband(budgets(s)).withRanking(ranking(s));
      case "asha" -> BracketScheduler.asha(budgets(s)).withRanking(ranking(s));
      case "pbt" -> PbtScheduler.create(pbt(s, seed));
      case "bohb" ->
          throw new IllegalArgumentException(
              "scheduler.type: bohb is built with its sampler; use SchedulerSection.bohb");
      default ->
          throw new IllegalArgumentException(
              "scheduler.type: unknown scheduler '"
                  + spec.type()
                  + "'; allowed: "
                  + String.join(", ", TYPES));
    };
  }

  // PatientPruner.of takes no min_delta; wrapping a pruner that always prunes is the same rule.
  private static Scheduler unwrappedWithDelta(int patience, double minDelta) {
    return PatientPruner.wrapping(ALWAYS_PRUNE, patience, minDelta);
  }

  private static final Scheduler ALWAYS_PRUNE =
      new Scheduler() {
        @Override
        public boolean shouldPrune(
            dev.knobflow.optimizers.StudyView study, dev.knobflow.optimizers.FrozenTrial trial) {
          return true;
        }

        @Override
        public String describe() {
          return "prune";
        }
      };

  /**
   * Builds BOHB's sampler and scheduler from the scheduler's budgets and the sampler's KDE
   * settings.
   */
  public static Bohb bohb(SchedulerSpec scheduler, SamplerSpec sampler, OptionalLong seed) {
    Map<String, Object> k = sampler.settings();
    BohbSettings defaults =
        BohbSettings.of(budgets(scheduler.settings()), ModelSamplerTypes.seedOf(seed));
    BohbSettings settings =
        new BohbSettings(
            defaults.budgets(),
            defaults.seed(),
            (int) number(k, "min_points_in_model", defaults.minPointsInModel()),
            number(k, "top_fraction", defaults.topFraction()),
            (int) number(k, "candidates", defaults.candidates()),
            number(k, "random_fraction", defaults.randomFraction()),
            number(k, "bandwidth_factor", defaults.bandwidthFactor()),
            number(k, "min_bandwidth", defaults.minBandwidth()));
    if ("hpbandster".equals(k.get("model"))) {
      settings = settings.withModel(BohbModel.HPBANDSTER);
    }
    return Bohb.create(settings).withRanking(ranking(scheduler.settings()));
  }

  /** The sampler and scheduler of a study file's sections. */
  public record Pair(Sampler sampler, Scheduler scheduler) {}

  /** The sampler and scheduler of a validated study: BOHB's pair, or each on its own. */
  public static Pair build(StudyConfig config, SamplerFactory samplers) {
    return build(config, samplers, List.of());
  }

  /** As {@link #build(StudyConfig, SamplerFactory)}, the sampler given prior observations. */
  public static Pair build(
      StudyConfig config,
      SamplerFactory samplers,
      List<dev.knobflow.optimizers.samplers.PriorObservation> priors) {
    if (config.scheduler().isBohb()) {
      Bohb bohb = bohb(config.scheduler(), config.sampler(), config.seed());
      if (!priors.isEmpty()) {
        LOG.info("sampler 'bohb' cannot use prior observations; {} priors ignored", priors.size());
      }
      return new Pair(bohb.sampler(), bohb.scheduler());
    }
    return new Pair(
        samplers.create(config.sampler(), config.space(), config.seed(), priors),
        create(config.scheduler(), config.seed()));
  }

  private static PbtSettings pbt(Map<String, Object> s, OptionalLong seed) {
    PbtSettings.Builder b =
        PbtSettings.builder((int) number(s, "population", 0), number(s, "interval", Double.NaN))
            .quantile(number(s, "quantile", PbtSettings.DEFAULT_QUANTILE))
            .resampleProbability(
                number(s, "resample_probability", PbtSettings.DEFAULT_RESAMPLE_PROBABILITY))
            .synchronous("sync".equals(s.get("mode")))
            .seed(ModelSamplerTypes.seedOf(seed))
            .ranking(ranking(s))
            .maxBudget(number(s, "max_budget", Double.POSITIVE_INFINITY))
            .equalBudgetRanking("equal_budget".equals(s.get("rank_at")));
    perturbationFactors(s).ifPresent(f -> b.perturbationFactors(f[0], f[1]));
    return b.build();
  }

  private static BudgetSettings budgets(Map<String, Object> s) {
    return new BudgetSettings(
        number(s, "min_budget", Double.NaN),
        number(s, "max_budget", Double.NaN),
        number(s, "eta", BudgetSettings.DEFAULT_ETA));
  }

  /** {@code rank_by}'s ranking: one named objective, or all objectives when absent. */
  private static RungRanking ranking(Map<String, Object> s) {
    return s.get("rank_by") instanceof String name
        ? RungRanking.byObjective(name)
        : RungRanking.allObjectives();
  }

  private static PruningWindow window(Map<String, Object> s, PruningWindow defaults) {
    return new PruningWindow(
        (int) number(s, "startup_trials", defaults.startupTrials()),
        (long) number(s, "warmup_steps", defaults.warmupSteps()),
        (long) number(s, "interval_steps", defaults.intervalSteps()));
  }

  private static double number(Map<String, Object> s, String key, double fallback) {
    Object v = s.get(key);
    return v == null ? fallback : Section.asNumber(v).orElse(fallback);
  }
}
