package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.gp.GpAcquisition;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The study-file types of the evolutionary and model-based samplers: {@code nsga2}, {@code tpe},
 * {@code gp}, {@code cmaes}, {@code auto} (the default when a study file has no {@code sampler})
 * and {@code bohb} (whose sampler is built together with its scheduler, see {@link
 * SchedulerSection}). Every key is checked with its path ({@code sampler.population_size}); the
 * study's {@code seed} seeds them.
 */
final class ModelSamplerTypes {

  private ModelSamplerTypes() {}

  /** The study's seed, or a fresh one (the builders need one value for all their delegates). */
  static long seedOf(OptionalLong seed) {
    return seed.isPresent() ? seed.getAsLong() : Seeds.fresh();
  }

  private static Optional<Double> number(Map<String, Object> settings, String key) {
    Object v = settings.get(key);
    return v == null ? Optional.empty() : Section.asNumber(v);
  }

  private static Optional<Integer> integer(Map<String, Object> settings, String key) {
    return number(settings, key).map(d -> (int) Math.min(Integer.MAX_VALUE, d.longValue()));
  }

  private static Optional<Boolean> bool(Map<String, Object> settings, String key) {
    return settings.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  /** A number in {@code [low, high]}, or a problem naming the key. */
  static void numberIn(Section section, String key, double low, double high) {
    section
        .number(key)
        .filter(v -> v < low || v > high)
        .ifPresent(v -> section.problem(key, "must be in [" + low + ", " + high + "], got " + v));
  }

  /** A number of at least {@code low}, or a problem naming the key. */
  static void numberAtLeast(Section section, String key, double low) {
    section
        .number(key)
        .filter(v -> v < low)
        .ifPresent(v -> section.problem(key, "must be at least " + low + ", got " + v));
  }

  /** NSGA-II (Jenetics): population, crossover and mutation settings. */
  static final class Nsga2Type implements SamplerType {
    @Override
    public String name() {
      return "nsga2";
    }

    @Override
    public List<String> keys() {
      return List.of(
          "population_size",
          "crossover_probability",
          "mutation_probability",
          "crossover_eta",
          "mutation_eta");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.integerAtLeast("population_size", 4);
      numberIn(section, "crossover_probability", 0, 1);
      numberIn(section, "mutation_probability", 0, 1);
      numberAtLeast(section, "crossover_eta", 0);
      numberAtLeast(section, "mutation_eta", 0);
    }

    @Override
    public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
      Map<String, Object> s = spec.settings();
      NsgaIISampler.Builder b = NsgaIISampler.builder();
      integer(s, "population_size").ifPresent(b::populationSize);
      number(s, "crossover_probability").ifPresent(b::crossoverProbability);
      number(s, "mutation_probability").ifPresent(b::mutationProbability);
      number(s, "crossover_eta").ifPresent(b::crossoverEta);
      number(s, "mutation_eta").ifPresent(b::mutationEta);
      seed.ifPresent(b::seed);
      return b.build();
    }
  }

  /** TPE / MOTPE with Optuna's option names. */
  static final class TpeType implements PriorAwareSamplerType {
    @Override
    public String name() {
      return "tpe";
    }

    @Override
    public List<String> keys() {
      return List.of(
          "n_startup_trials",
          "n_ei_candidates",
          "multivariate",
          "group",
          "constant_liar",
          "prior_weight",
          "consider_endpoints");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.integerAtLeast("n_startup_trials", 0);
      section.integerAtLeast("n_ei_candidates", 1);
      section.bool("multivariate");
      section.bool("group");
      section.bool("constant_liar");
      section.bool("consider_endpoints");
      section
          .number("prior_weight")
          .filter(v -> !(v > 0))
          .ifPresent(v -> section.problem("prior_weight", "must be above 0, got " + v));
    }

    @Override
    public Sampler create(
        SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
      Map<String, Object> s = spec.settings();
      TpeSampler.Builder b = TpeSampler.builder().seed(seedOf(seed));
      b.priorObservations(priors);
      integer(s, "n_startup_trials").ifPresent(b::startupTrials);
      integer(s, "n_ei_candidates").ifPresent(b::eiCandidates);
      bool(s, "multivariate").ifPresent(b::multivariate);
      bool(s, "group").ifPresent(b::group);
      bool(s, "constant_liar").ifPresent(b::constantLiar);
      number(s, "prior_weight").ifPresent(b::priorWeight);
      bool(s, "consider_endpoints").ifPresent(b::considerEndpoints);
      return b.build();
    }
  }

  /** Gaussian-process Bayesian optimisation (EJML). */
  static final class GpType implements PriorAwareSamplerType {
    private static final List<String> ACQUISITIONS = List.of("ei", "ucb", "pi");

    @Override
    public String name() {
      return "gp";
    }

    @Override
    public List<String> keys() {
      return List.of("acquisition", "kappa", "n_startup_trials", "candidates", "fit_iterations");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section
          .string("acquisition")
          .filter(a -> !ACQUISITIONS.contains(a.toLowerCase(Locale.ROOT)))
          .ifPresent(
              a ->
                  section.problem(
                      "acquisition",
                      "must be one of "
                          + String.join(", ", ACQUISITIONS)
                          + ", got '"
                          + a
                          + "'"
                          + Suggestions.hint(a, ACQUISITIONS)));
      numberAtLeast(section, "kappa", 0);
      section.integerAtLeast("n_startup_trials", 2);
      section.integerAtLeast("candidates", 8);
      section.integerAtLeast("fit_iterations", 1);
    }

    @Override
    public Sampler create(
        SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
      Map<String, Object> s = spec.settings();
      GpSampler.Builder b = GpSampler.builder().seed(seedOf(seed));
      b.priorObservations(priors);
      Optional.ofNullable(s.get("acquisition"))
          .map(a -> GpAcquisition.valueOf(String.valueOf(a).toUpperCase(Locale.ROOT)))
          .ifPresent(b::acquisition);
      number(s, "kappa").ifPresent(b::kappa);
      integer(s, "n_startup_trials").ifPresent(b::startupTrials);
      integer(s, "candidates").ifPresent(b::candidates);
      integer(s, "fit_iterations").ifPresent(b::fitIterations);
      return b.build();
    }
  }

  /** CMA-ES with Optuna's option names where Optuna has them. */
  static final class CmaEsType implements PriorAwareSamplerType {
    private static final List<String> RESTARTS = List.of("ipop", "none");
    private static final List<String> SAMPLINGS =
        List.of("mirrored_orthogonal", "mirrored", "orthogonal", "gaussian");

    @Override
    public String name() {
      return "cmaes";
    }

    @Override
    public List<String> keys() {
      return List.of(
          "population_size",
          "sigma0",
          "restart_strategy",
          "inc_popsize",
          "with_margin",
          "sampling",
          "warm_start_from_trials");
    }

    @Override
    public boolean singleObjective() {
      return true;
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.integerAtLeast("population_size", 2);
      section
          .number("sigma0")
          .filter(v -> !(v > 0 && v <= 1))
          .ifPresent(
              v ->
                  section.problem(
                      "sigma0", "must be in (0, 1] (a fraction of each range), got " + v));
      section
          .string("restart_strategy")
          .filter(r -> !RESTARTS.contains(r.toLowerCase(Locale.ROOT)))
          .ifPresent(
              r ->
                  section.problem(
                      "restart_strategy",
                      "must be one of "
                          + String.join(", ", RESTARTS)
                          + ", got '"
                          + r
                          + "'"
                          + Suggestions.hint(r, RESTARTS)));
      section.integerAtLeast("inc_popsize", 2);
      section.bool("with_margin");
      section
          .string("sampling")
          .filter(v -> !SAMPLINGS.contains(v.toLowerCase(Locale.ROOT)))
          .ifPresent(
              v ->
                  section.problem(
                      "sampling",
                      "must be one of "
                          + String.join(", ", SAMPLINGS)
                          + ", got '"
                          + v
                          + "'"
                          + Suggestions.hint(v, SAMPLINGS)));
      section.bool("warm_start_from_trials");
    }

    @Override
    public Sampler create(
        SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
      Map<String, Object> s = spec.settings();
      CmaEsSampler.Builder b = CmaEsSampler.builder().seed(seedOf(seed));
      b.priorObservations(priors);
      integer(s, "population_size").ifPresent(b::populationSize);
      number(s, "sigma0").ifPresent(b::sigma0);
      Optional.ofNullable(s.get("restart_strategy"))
          .map(
              r -> CmaEsSampler.RestartStrategy.valueOf(String.valueOf(r).toUpperCase(Locale.ROOT)))
          .ifPresent(b::restartStrategy);
      integer(s, "inc_popsize").ifPresent(b::incPopsize);
      bool(s, "with_margin").ifPresent(b::withMargin);
      Optional.ofNullable(s.get("sampling"))
          .map(v -> CmaEsSampler.Sampling.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT)))
          .ifPresent(b::sampling);
      bool(s, "warm_start_from_trials").ifPresent(b::warmStartFromTrials);
      return b.build();
    }
  }

  /**
   * The automatic default: GP, TPE, CMA-ES or NSGA-II by the study's shape (logged when it
   * changes).
   */
  static final class AutoType implements PriorAwareSamplerType {
    @Override
    public String name() {
      return "auto";
    }

    @Override
    public List<String> keys() {
      return List.of(
          "gp_trials", "max_gp_dimensions", "nsga2_population_size", "cmaes_min_dimensions");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.integerAtLeast("gp_trials", 0);
      section.integerAtLeast("max_gp_dimensions", 1);
      section.integerAtLeast("cmaes_min_dimensions", 2);
      section
          .integer("nsga2_population_size")
          .filter(v -> v != 0 && v < 4)
          .ifPresent(
              v ->
                  section.problem(
                      "nsga2_population_size", "must be 0 (off) or at least 4, got " + v));
    }

    @Override
    public Sampler create(
        SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
      Map<String, Object> s = spec.settings();
      AutoSampler.Builder b = AutoSampler.builder().seed(seedOf(seed));
      b.priorObservations(priors);
      integer(s, "gp_trials").ifPresent(b::gpTrials);
      integer(s, "max_gp_dimensions").ifPresent(b::maxGpDimensions);
      integer(s, "nsga2_population_size").ifPresent(b::nsga2PopulationSize);
      integer(s, "cmaes_min_dimensions").ifPresent(b::cmaesMinDimensions);
      return b.build();
    }
  }

  /**
   * BOHB's KDE model. It needs the scheduler's budgets, so the sampler is built with its scheduler
   * by {@link SchedulerSection#bohb}; the study file must have {@code scheduler: {type: bohb, ...}}
   * (checked by {@link SchedulerSection#parse}).
   */
  static final class BohbType implements SamplerType {
    /** {@code factorized} (the default) or {@code hpbandster}, see {@code BohbModel}. */
    static final List<String> BOHB_MODELS = List.of("factorized", "hpbandster");

    @Override
    public String name() {
      return "bohb";
    }

    @Override
    public List<String> keys() {
      return List.of(
          "min_points_in_model",
          "top_fraction",
          "candidates",
          "random_fraction",
          "bandwidth_factor",
          "min_bandwidth",
          "model");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.integerAtLeast("min_points_in_model", 0);
      section
          .number("top_fraction")
          .filter(v -> !(v > 0 && v < 1))
          .ifPresent(v -> section.problem("top_fraction", "must be in (0, 1), got " + v));
      section.integerAtLeast("candidates", 1);
      numberIn(section, "random_fraction", 0, 1);
      numberAtLeast(section, "bandwidth_factor", 1);
      section
          .number("min_bandwidth")
          .filter(v -> !(v > 0 && v < 1))
          .ifPresent(v -> section.problem("min_bandwidth", "must be in (0, 1), got " + v));
      section
          .string("model")
          .filter(m -> !BOHB_MODELS.contains(m))
          .ifPresent(
              m ->
                  section.problem(
                      "model",
                      "must be one of " + String.join(", ", BOHB_MODELS) + ", got '" + m + "'"));
    }

    @Override
    public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
      throw new IllegalStateException(
          "sampler.type: bohb is built together with its scheduler (scheduler: {type: bohb,"
              + " min_budget, max_budget}); use SchedulerSection.bohb");
    }
  }
}
