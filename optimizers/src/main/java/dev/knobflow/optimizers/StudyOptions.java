package dev.knobflow.optimizers;

import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.RepeatGuard;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.time.Clock;
import dev.knobflow.time.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of a study, set through {@link Study.Builder}: objectives, storage, sampler,
 * scheduler, declared space, listeners, time, seed, noise and budget. Apart from {@link Study} so
 * that the study class holds what a study does; the setters return the builder, for chaining.
 */
public abstract sealed class StudyOptions permits Study.Builder {
  final String name;
  List<Objective> objectives;
  StudyStorage storage;
  Sampler sampler;
  Scheduler scheduler = Scheduler.none();
  SearchSpace space = SearchSpace.empty();
  final List<StudyListener> listeners = new ArrayList<>();
  Long seed;
  boolean noisy;
  StudyBudget budget;
  Clock clock = Clock.SYSTEM;
  Sleeper sleeper = Sleeper.SYSTEM;

  StudyOptions(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("study name must not be blank");
    }
    this.name = name;
  }

  // Sealed to Study.Builder, so the cast cannot fail; the setters return Study.Builder so that
  // code compiled against the setters declared in Study.Builder itself still links.
  private Study.Builder self() {
    return (Study.Builder) this;
  }

  /** The objectives in order; default a single minimised objective named {@code value}. */
  public Study.Builder objectives(Objective... objectives) {
    return objectives(List.of(objectives));
  }

  /** The objectives in order. */
  public Study.Builder objectives(List<Objective> objectives) {
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("objectives: declare at least one");
    }
    long distinct = objectives.stream().map(Objective::name).distinct().count();
    if (distinct != objectives.size()) {
      throw new IllegalArgumentException("objectives: names must be unique, got " + objectives);
    }
    this.objectives = List.copyOf(objectives);
    return self();
  }

  /** A single objective named {@code value} in the given direction. */
  public Study.Builder direction(Direction direction) {
    return objectives(new Objective("value", direction));
  }

  /** Where the study lives; default a fresh in-memory storage. */
  public Study.Builder storage(StudyStorage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
    return self();
  }

  /** The sampler; default a random sampler seeded with {@link #seed} if given. */
  public Study.Builder sampler(Sampler sampler) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return self();
  }

  /** The scheduler (pruner); default none. */
  public Study.Builder scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return self();
  }

  /** A space declared up front; its parameters are suggested at the start of every trial. */
  public Study.Builder space(SearchSpace space) {
    this.space = Objects.requireNonNull(space, "space");
    return self();
  }

  /** Adds a listener. */
  public Study.Builder listener(StudyListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return self();
  }

  /**
   * The time the study reads (trial timestamps, timeouts, heartbeats) and waits on; default the
   * system's. Tests pass a fake to drive time instead of sleeping.
   */
  public Study.Builder time(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return self();
  }

  /** The seed of the default sampler. */
  public Study.Builder seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * Declares the objective noisy: evaluating one configuration twice may give different values, so
   * a model-based sampler may propose a configuration again. Default false: the study keeps TPE,
   * GP, CMA-ES, NSGA-II, BOHB's KDE and {@code auto} from repeating a configuration (see {@link
   * RepeatGuard}).
   */
  public Study.Builder noisy(boolean value) {
    this.noisy = value;
    return self();
  }

  /**
   * Limits on GPU-hours, energy, CO2 and wall time (see {@link StudyBudget}): {@link
   * Study#optimize} starts trials only while the forecast spending fits, and prunes running trials
   * when a limit is reached.
   */
  public Study.Builder budget(StudyBudget value) {
    this.budget = Objects.requireNonNull(value, "budget");
    return self();
  }

  /**
   * Fills in the defaults (an in-memory storage, an existing study's objectives or {@code value}
   * minimised, a random sampler), creates the study in storage or loads it, and records its
   * sampler, budget and seed as study attributes where they changed.
   */
  final StudyRecord createOrLoad() {
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
    return record;
  }

  private static Long asLong(Object value) {
    return value instanceof Number n ? n.longValue() : null;
  }
}
