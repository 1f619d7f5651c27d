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
 * A validated study file. Read one with {@link StudyFileParser}; run it with {@link StudyRunner}.
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

  /** A study without a budget. */
  public StudyConfig(
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
      SchedulerSpec scheduler) {
    this(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        trials,
        timeout,
        parallelism,
        objective,
        constraints,
        baseDirectory,
        advisor,
        energy,
        scheduler,
        BudgetSpec.none());
  }

  /** The same study with another budget. */
  public StudyConfig withBudget(BudgetSpec other) {
    return new StudyConfig(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        trials,
        timeout,
        parallelism,
        objective,
        constraints,
        baseDirectory,
        advisor,
        energy,
        scheduler,
        other);
  }

  /** A study without an advisor block or scheduler, with the default energy settings. */
  public StudyConfig(
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
      Path baseDirectory) {
    this(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        trials,
        timeout,
        parallelism,
        objective,
        constraints,
        baseDirectory,
        Optional.empty(),
        EnergyConfig.defaults(),
        SchedulerSpec.none());
  }

  /** The same study with another advisor block (empty for none). */
  public StudyConfig withAdvisor(Optional<AdvisorSpec> other) {
    return copy(trials, timeout, parallelism, storage, other, energy, scheduler);
  }

  /** The same study with another scheduler. */
  public StudyConfig withScheduler(SchedulerSpec other) {
    return copy(trials, timeout, parallelism, storage, advisor, energy, other);
  }

  /** The same study with other energy settings. */
  public StudyConfig withEnergy(EnergyConfig other) {
    return copy(trials, timeout, parallelism, storage, advisor, other, scheduler);
  }

  /** The same study with another number of trials. */
  public StudyConfig withTrials(int n) {
    return copy(OptionalInt.of(n), timeout, parallelism, storage, advisor, energy, scheduler);
  }

  /** The same study with another parallelism. */
  public StudyConfig withParallelism(int n) {
    return copy(trials, timeout, n, storage, advisor, energy, scheduler);
  }

  /** The same study in another storage. */
  public StudyConfig withStorage(StorageSpec other) {
    return copy(trials, timeout, parallelism, other, advisor, energy, scheduler);
  }

  /** The same study with another timeout. */
  public StudyConfig withTimeout(Duration other) {
    return copy(trials, Optional.of(other), parallelism, storage, advisor, energy, scheduler);
  }

  private StudyConfig copy(
      OptionalInt newTrials,
      Optional<Duration> newTimeout,
      int newParallelism,
      StorageSpec newStorage,
      Optional<AdvisorSpec> newAdvisor,
      EnergyConfig newEnergy,
      SchedulerSpec newScheduler) {
    return new StudyConfig(
        name,
        newStorage,
        seed,
        objectives,
        space,
        sampler,
        newTrials,
        newTimeout,
        newParallelism,
        objective,
        constraints,
        baseDirectory,
        newAdvisor,
        newEnergy,
        newScheduler,
        budget);
  }
}
