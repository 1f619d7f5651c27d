package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.plugin.advice.AdvisorSpec;
import dev.knobflow.plugin.energy.EnergyConfig;
import dev.knobflow.plugin.objective.MetricConstraint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated study file. Read one with {@link StudyFileParser}, build one with {@link
 * #builder(String, ObjectiveSpec, Path)}; run it with {@link
 * dev.knobflow.plugin.runtime.StudyRunner}.
 *
 * @param name the study's name (the key in storage)
 * @param storage where the trials are kept
 * @param seed the sampler's seed, if fixed
 * @param objectives the objectives in order, with directions
 * @param space the declared search space (empty for a define-by-run class objective)
 * @param sampler the sampler type and settings
 * @param trials how many trials one {@code tune} runs; empty to run until the timeout or until a
 *     grid is exhausted
 * @param timeout stop starting trials after this long, if set
 * @param parallelism trials evaluated at once
 * @param objective what evaluates a trial
 * @param constraints bounds on reported metrics
 * @param baseDirectory the study file's directory: the command objective's working directory and
 *     the base of relative journal paths
 * @param advisor the {@code advisor:} block (curve diagnostics and advice), if any
 * @param energy energy measuring, carbon intensity and measured objectives
 * @param scheduler the pruner or multi-fidelity scheduler ({@code none} by default)
 * @param budget the {@code budget:} limits (GPU-hours, energy, CO2, wall time); none by default
 */
public record StudyConfig(
    String name,
    StorageSpec storage,
    OptionalLong seed,
    List<Objective> objectives,
    SearchSpace space,
    SamplerSpec sampler,
    OptionalInt trials,
    Optional<Duration> timeout,
    int parallelism,
    ObjectiveSpec objective,
    List<MetricConstraint> constraints,
    Path baseDirectory,
    Optional<AdvisorSpec> advisor,
    EnergyConfig energy,
    SchedulerSpec scheduler,
    BudgetSpec budget) {

  public StudyConfig {
    budget = budget == null ? BudgetSpec.none() : budget;
    objectives = List.copyOf(objectives);
    constraints = List.copyOf(constraints);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    advisor = advisor == null ? Optional.empty() : advisor;
    Objects.requireNonNull(energy, "energy");
    Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * A builder for a study named {@code name} whose trials {@code objective} evaluates in {@code
   * baseDirectory}; the objectives, sampler and storage must be set before {@link Builder#build()}.
   */
  public static Builder builder(String name, ObjectiveSpec objective, Path baseDirectory) {
    return new Builder(name, objective, baseDirectory);
  }

  /** A builder holding this study's settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same study with another number of trials. */
  public StudyConfig withTrials(int n) {
    return toBuilder().trials(OptionalInt.of(n)).build();
  }

  /** The same study with another parallelism. */
  public StudyConfig withParallelism(int n) {
    return toBuilder().parallelism(n).build();
  }

  /** The same study in another storage. */
  public StudyConfig withStorage(StorageSpec other) {
    return toBuilder().storage(other).build();
  }

  /** The same study with another timeout. */
  public StudyConfig withTimeout(Duration other) {
    return toBuilder().timeout(Optional.of(other)).build();
  }

  /**
   * Builds a {@link StudyConfig}. Defaults: no fixed seed, an empty (define-by-run) space, trials
   * and timeout unset, parallelism 1, no constraints, no advisor, the default energy settings and
   * no scheduler.
   */
  public static final class Builder {
    private final String name;
    private final ObjectiveSpec objective;
    private final Path baseDirectory;
    private StorageSpec storage;
    private OptionalLong seed = OptionalLong.empty();
    private List<Objective> objectives;
    private SearchSpace space = SearchSpace.empty();
    private SamplerSpec sampler;
    private OptionalInt trials = OptionalInt.empty();
    private Optional<Duration> timeout = Optional.empty();
    private int parallelism = 1;
    private List<MetricConstraint> constraints = List.of();
    private Optional<AdvisorSpec> advisor = Optional.empty();
    private EnergyConfig energy = EnergyConfig.defaults();
    private SchedulerSpec scheduler = SchedulerSpec.none();
    private BudgetSpec budget = BudgetSpec.none();

    private Builder(String name, ObjectiveSpec objective, Path baseDirectory) {
      this.name = Objects.requireNonNull(name, "name");
      this.objective = Objects.requireNonNull(objective, "objective");
      this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    private Builder(StudyConfig from) {
      this(from.name, from.objective, from.baseDirectory);
      storage = from.storage;
      seed = from.seed;
      objectives = from.objectives;
      space = from.space;
      sampler = from.sampler;
      trials = from.trials;
      timeout = from.timeout;
      parallelism = from.parallelism;
      constraints = from.constraints;
      advisor = from.advisor;
      energy = from.energy;
      scheduler = from.scheduler;
      budget = from.budget;
    }

    /** Where the trials are kept (required). */
    public Builder storage(StorageSpec value) {
      this.storage = value;
      return this;
    }

    /** The sampler's seed, if fixed. */
    public Builder seed(OptionalLong value) {
      this.seed = value;
      return this;
    }

    /** The objectives in order, with directions (required). */
    public Builder objectives(List<Objective> value) {
      this.objectives = value;
      return this;
    }

    /** The declared search space. */
    public Builder space(SearchSpace value) {
      this.space = value;
      return this;
    }

    /** The sampler type and settings (required). */
    public Builder sampler(SamplerSpec value) {
      this.sampler = value;
      return this;
    }

    /** How many trials one {@code tune} runs; empty for no limit. */
    public Builder trials(OptionalInt value) {
      this.trials = value;
      return this;
    }

    /** Stop starting trials after this long, if set. */
    public Builder timeout(Optional<Duration> value) {
      this.timeout = value;
      return this;
    }

    /** Trials evaluated at once, at least 1. */
    public Builder parallelism(int value) {
      this.parallelism = value;
      return this;
    }

    /** Bounds on reported metrics. */
    public Builder constraints(List<MetricConstraint> value) {
      this.constraints = value;
      return this;
    }

    /** The {@code advisor:} block, if any. */
    public Builder advisor(Optional<AdvisorSpec> value) {
      this.advisor = value;
      return this;
    }

    /** Energy measuring, carbon intensity and measured objectives. */
    public Builder energy(EnergyConfig value) {
      this.energy = value;
      return this;
    }

    /** The {@code budget:} limits; none by default. */
    public Builder budget(BudgetSpec value) {
      this.budget = Objects.requireNonNull(value, "budget");
      return this;
    }

    /** The pruner or multi-fidelity scheduler. */
    public Builder scheduler(SchedulerSpec value) {
      this.scheduler = value;
      return this;
    }

    /**
     * The study configuration.
     *
     * @throws NullPointerException naming a required setting that is missing
     * @throws IllegalArgumentException when parallelism is below 1
     */
    public StudyConfig build() {
      return new StudyConfig(
          name,
          Objects.requireNonNull(storage, "storage"),
          seed,
          Objects.requireNonNull(objectives, "objectives"),
          space,
          Objects.requireNonNull(sampler, "sampler"),
          trials,
          timeout,
          parallelism,
          objective,
          constraints,
          baseDirectory,
          advisor,
          energy,
          scheduler,
          budget);
    }
  }
}
