package dev.knobflow.plugin.runtime;

import dev.knobflow.greenmetrics.power.PowerSourceException;
import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.advice.AdvisorSupport;
import dev.knobflow.plugin.advice.LocalReportSink;
import dev.knobflow.plugin.advice.ReportSink;
import dev.knobflow.plugin.config.BudgetSpec;
import dev.knobflow.plugin.config.ObjectiveSpec;
import dev.knobflow.plugin.config.SamplerFactory;
import dev.knobflow.plugin.config.SchedulerSection;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.energy.EnergySession;
import dev.knobflow.plugin.objective.CheckpointDirectories;
import dev.knobflow.plugin.objective.ClassObjectives;
import dev.knobflow.plugin.objective.CommandObjective;
import dev.knobflow.plugin.objective.ConstrainedObjective;
import dev.knobflow.plugin.objective.ObjectiveLoadException;
import dev.knobflow.plugin.objective.PbtCheckpointPruner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link StudyConfig} into a runnable study: opens the storage, builds the sampler and the
 * objective (command or class, with metric constraints), creates or loads the {@link Study} and the
 * {@link OptimizeOptions}. Close it to stop commands and release the storage.
 *
 * <pre>{@code
 * StudyConfig config = StudyFileParser.standard().parse(Path.of("study.yaml"));
 * try (StudyRunner runner = StudyRunner.builder(config).build()) {
 *   OptimizeSummary summary = runner.run();
 *   List<FrozenTrial> front = runner.study().paretoFront();
 * }
 * }</pre>
 */
public final class StudyRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

  /** How often running trials of a journal study record that their worker is alive. */
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  /** RUNNING trials of a journal study without a heartbeat for this long are failed on start. */
  static final Duration STALE_AFTER = Duration.ofMinutes(5);

  private final StudyConfig config;
  private final StudyStorage storage;
  private final ObjectiveFunction objective;
  private final Study study;
  private final OptimizeOptions options;
  private final @Nullable AdvisorSupport advisor;
  private final EnergySession energy;

  private StudyRunner(Builder b) {
    this.config = b.config;
    this.energy = energy(config);
    CheckpointDirectories checkpoints;
    try {
      checkpoints =
          config.objective() instanceof ObjectiveSpec.Command c
              ? checkpointDirectories(config, c, b.checkpointStore)
              : null;
      this.objective = objective(b, energy, checkpoints);
    } catch (RuntimeException e) {
      energy.close();
      throw e;
    }
    StudyStorage opened;
    try {
      opened =
          config.storage() instanceof StorageSpec.Mlflow m
              ? m.forStudy(config.name()).open()
              : config.storage().open();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      closeQuietly(objective);
      energy.close();
      throw StudyFileException.of("study '" + config.name() + "'", "storage", e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(objective);
      energy.close();
      throw e;
    }
    this.storage = opened;
    try {
      SchedulerSection.Pair pair = SchedulerSection.build(config, b.samplers, b.priors);
      Sampler sampler = pair.sampler();
      Study.Builder sb =
          Study.builder(config.name())
              .objectives(config.objectives())
              .storage(storage)
              .sampler(sampler)
              .scheduler(pair.scheduler())
              .space(config.space())
              .noisy(config.objective().noisy());
      config.seed().ifPresent(sb::seed);
      BudgetSpec budget = config.budget();
      if (!budget.isEmpty()) {
        sb.budget(
            dev.knobflow.plugin.energy.BudgetMeters.budget(
                budget.gpuHours(),
                budget.energyKwh(),
                budget.co2Kg(),
                budget.wall(),
                budget.trained()));
      }
      b.listeners.forEach(sb::listener);
      if (pair.scheduler() instanceof PbtScheduler && checkpoints != null) {
        sb.listener(new PbtCheckpointPruner(checkpoints));
      }
      this.advisor = advisor(b);
      if (advisor != null) {
        sb.listener(advisor);
      }
      this.study = sb.build();
    } catch (RuntimeException e) {
      closeQuietly(objective);
      storage.close();
      energy.close();
      throw e;
    }
    OptimizeOptions o =
        OptimizeOptions.trials(config.trials().orElse(Integer.MAX_VALUE))
            .withParallelism(config.parallelism());
    if (config.timeout().isPresent()) {
      o = o.withTimeout(config.timeout().get());
    }
    if (config.storage() instanceof StorageSpec.Journal
        || config.storage() instanceof StorageSpec.Mlflow
        || config.storage() instanceof StorageSpec.Postgres) {
      o = o.withHeartbeat(HEARTBEAT, STALE_AFTER);
    }
    this.options = o;
  }

  /** Starts preparing {@code config} to run. */
  public static Builder builder(StudyConfig config) {
    return new Builder(config);
  }

  /**
   * Starts the power sources; a study with a measured objective and no power source is a bad input
   * (exit code 2), reported at the first measured objective.
   */
  private static EnergySession energy(StudyConfig config) {
    try {
      return EnergySession.start(config.energy(), config.parallelism(), System.getenv());
    } catch (PowerSourceException e) {
      List<String> names = config.objectives().stream().map(Objective::name).toList();
      int first = names.indexOf(config.energy().measuredObjectives().get(0));
      throw StudyFileException.of(
          "study '" + config.name() + "'", "objectives[" + first + "].source", e.getMessage());
    }
  }

  private static ObjectiveFunction objective(
      Builder b, EnergySession energy, CheckpointDirectories checkpoints) {
    StudyConfig config = b.config;
    List<String> names = config.objectives().stream().map(Objective::name).toList();
    // The command reports every objective but the measured ones, which the meter fills in.
    List<String> reported = names.stream().filter(n -> !config.energy().isMeasured(n)).toList();
    ObjectiveFunction base;
    if (config.objective() instanceof ObjectiveSpec.Command c) {
      base =
          CommandObjective.builder(c.command(), reported)
              .environmentFor(energy::environmentFor)
              .workingDirectory(config.baseDirectory())
              .timeout(c.timeout().orElse(null))
              .environment(c.env())
              .killGrace(b.killGrace)
              .checkpoints(checkpoints)
              .build();
    } else if (config.objective() instanceof ObjectiveSpec.JavaClass k) {
      try {
        base = ClassObjectives.load(k.className(), b.classLoader);
      } catch (ObjectiveLoadException e) {
        throw StudyFileException.of(
            "study '" + config.name() + "'", "objective.class", e.getMessage());
      }
    } else {
      throw new IllegalArgumentException("objective: unsupported " + config.objective());
    }
    base = energy.wrap(base, names);
    return config.constraints().isEmpty()
        ? base
        : new ConstrainedObjective(base, names, config.constraints());
  }

  /**
   * A command objective's checkpoint directories: under {@code objective.checkpoints} (relative to
   * the study file's directory), or, with {@code checkpoints: mlflow}, kept in the study run's
   * artifacts ({@code store}, from the tracking) with local scratch under the default root.
   */
  static CheckpointDirectories checkpointDirectories(
      StudyConfig config, ObjectiveSpec.Command c, CheckpointStore store) {
    String root = c.checkpoints().orElse(ObjectiveSpec.Command.DEFAULT_CHECKPOINTS);
    if (!root.equals(ObjectiveSpec.Command.MLFLOW_CHECKPOINTS)) {
      return CheckpointDirectories.under(config.baseDirectory().resolve(root));
    }
    if (store == null) {
      throw StudyFileException.of(
          "study '" + config.name() + "'",
          "objective.checkpoints",
          "'mlflow' keeps checkpoints in the artifacts of the study's MLflow run and needs MLflow"
              + " tracking: add tracking: {uri: ...} (or set MLFLOW_TRACKING_URI), or give a"
              + " directory every worker can reach (write ./mlflow for a directory so named)");
    }
    return CheckpointDirectories.under(
            config.baseDirectory().resolve(ObjectiveSpec.Command.DEFAULT_CHECKPOINTS))
        .storedIn(store);
  }

  private static @Nullable AdvisorSupport advisor(Builder b) {
    if (b.config.advisor().isEmpty()) {
      return null;
    }
    AdvisorSupport.Builder advisor =
        AdvisorSupport.fromSpec(b.config.advisor().get(), b.environment)
            .reportTo(LocalReportSink.defaultFor(b.config.baseDirectory(), b.config.name()));
    b.reportSinks.forEach(advisor::reportTo);
    return advisor.build();
  }

  /** The advisor listener of the study file's {@code advisor:} block, if it has one. */
  public Optional<AdvisorSupport> advisor() {
    return Optional.ofNullable(advisor);
  }

  /** The configuration this runner was built from. */
  public StudyConfig config() {
    return config;
  }

  /** The study (created, or loaded when the storage already holds it). */
  public Study study() {
    return study;
  }

  /** The objective function that evaluates trials. */
  public ObjectiveFunction objective() {
    return objective;
  }

  /** The energy measuring of this run (its status says whether trials are metered). */
  public EnergySession energy() {
    return energy;
  }

  /** The trials, timeout and parallelism of a {@link #run()}. */
  public OptimizeOptions options() {
    return options;
  }

  /** Runs the study's trials; see {@link Study#optimize}. */
  public OptimizeSummary run() {
    return study.optimize(objective, options);
  }

  /**
   * Stops the run from another thread (Ctrl-C): running trials are marked FAIL with {@code reason}
   * so that storage stays consistent, then their commands are stopped.
   */
  public List<FrozenTrial> interrupt(String reason) {
    study.stop(); // no new trial starts (it would fail at once, as interrupted)
    List<FrozenTrial> failed = study.failRunningTrials(reason);
    closeQuietly(objective);
    return failed;
  }

  /** Stops running commands and closes the storage. */
  @Override
  public void close() {
    closeQuietly(objective);
    storage.close();
    energy.close();
  }

  private static void closeQuietly(ObjectiveFunction f) {
    if (f instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing the objective failed: {}", e.toString());
      }
    }
  }

  /** Options of a {@link StudyRunner}. */
  public static final class Builder {
    private final StudyConfig config;
    private final List<StudyListener> listeners = new ArrayList<>();
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    private SamplerFactory samplers = SamplerFactory.standard();
    private List<dev.knobflow.optimizers.samplers.PriorObservation> priors = List.of();
    private Duration killGrace = Duration.ofSeconds(5);
    private Function<String, String> environment = System::getenv;
    private final List<ReportSink> reportSinks = new ArrayList<>();
    private CheckpointStore checkpointStore;

    private Builder(StudyConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Adds a study listener (progress, tracking...). */
    public Builder listener(StudyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where class objectives are loaded from; default the thread's context class loader. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** The sampler types; default {@link SamplerFactory#standard()}. */
    public Builder samplers(SamplerFactory factory) {
      this.samplers = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The study configuration being prepared. */
    public StudyConfig config() {
      return config;
    }

    /**
     * Prior observations handed to a model-based sampler (warm start {@code use: prior}); samplers
     * that cannot use them ignore them (logged). Default none.
     */
    public Builder priorObservations(List<dev.knobflow.optimizers.samplers.PriorObservation> p) {
      this.priors = List.copyOf(p);
      return this;
    }

    /** How long a stopped command may take to exit before it is killed; default 5s. */
    public Builder killGrace(Duration grace) {
      this.killGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** Looks environment variables up (the advisor's LLM key); default the process environment. */
    public Builder environment(Function<String, String> lookup) {
      this.environment = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * The store behind {@code objective.checkpoints: mlflow} (the study run's artifacts; set by the
     * MLflow tracking); unused for a checkpoint directory.
     */
    public Builder checkpointStore(CheckpointStore store) {
      this.checkpointStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Adds a place for advisor reports besides the local report directory (e.g. MLflow). */
    public Builder advisorReports(ReportSink sink) {
      reportSinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Opens the storage and creates or loads the study.
     *
     * @throws StudyFileException if the class objective cannot be loaded or the storage is not
     *     available
     */
    public StudyRunner build() {
      return new StudyRunner(this);
    }
  }
}
