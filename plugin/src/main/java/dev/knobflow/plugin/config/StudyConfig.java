package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.plugin.objective.MetricConstraint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param scheduler the pruner or multi-fidelity scheduler ({@code none} by default)
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
    SchedulerSpec scheduler) {

  public StudyConfig {
    objectives = List.copyOf(objectives);
    constraints = List.copyOf(constraints);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    java.util.Objects.requireNonNull(scheduler, "scheduler");
  }

  /** A study without a scheduler. */
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
        SchedulerSpec.none());
  }

  /** The same study with another scheduler. */
  public StudyConfig withScheduler(SchedulerSpec other) {
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
        other);
  }

  /** The same study with another number of trials. */
  public StudyConfig withTrials(int n) {
    return new StudyConfig(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        OptionalInt.of(n),
        timeout,
        parallelism,
        objective,
        constraints,
        baseDirectory,
        scheduler);
  }

  /** The same study with another parallelism. */
  public StudyConfig withParallelism(int n) {
    return new StudyConfig(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        trials,
        timeout,
        n,
        objective,
        constraints,
        baseDirectory,
        scheduler);
  }

  /** The same study in another storage. */
  public StudyConfig withStorage(StorageSpec other) {
    return new StudyConfig(
        name,
        other,
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
        scheduler);
  }

  /** The same study with another timeout. */
  public StudyConfig withTimeout(Duration other) {
    return new StudyConfig(
        name,
        storage,
        seed,
        objectives,
        space,
        sampler,
        trials,
        Optional.of(other),
        parallelism,
        objective,
        constraints,
        baseDirectory,
        scheduler);
  }
}
