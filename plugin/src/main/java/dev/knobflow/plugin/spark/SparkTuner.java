package dev.knobflow.plugin.spark;

import dev.knobflow.plugin.cli.StudyDefinitions;
import dev.knobflow.plugin.config.StudyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs one study's trials on a Spark cluster: {@code workers} Spark tasks, each a worker loop (the
 * same loop as {@code knobflow worker}) against the study's shared storage: PostgreSQL, a journal
 * on a file system every executor mounts, or an MLflow tracking server.
 *
 * <pre>{@code
 * SparkTuneResult result = SparkTuner.builder()
 *     .studyFile(Path.of("/shared/study.yaml"))
 *     .workers(8)
 *     .trialsPerWorker(25)
 *     .build()
 *     .run(sparkContext);
 * }</pre>
 *
 * <p>The storage assigns trial numbers and holds all state, so workers need no coordination of
 * their own; a task that Spark retries simply runs its share again in the same study. The driver
 * stores the study file with the study (as {@code knobflow tune} does), so {@code knobflow worker}
 * and {@code resume} can join a study the Spark runner created.
 */
public final class SparkTuner {

  private final StudyDefinition definition;
  private final StudyConfig config;
  private final int workers;
  private final int trialsPerWorker;
  private final int parallelismPerWorker;

  private SparkTuner(Builder b, StudyConfig config, int trialsPerWorker) {
    this.definition = b.definition;
    this.config = config;
    this.workers = b.workers;
    this.trialsPerWorker = trialsPerWorker;
    this.parallelismPerWorker = b.parallelismPerWorker;
  }

  /** Starts a tuner; a study file (or text) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The parsed study (checked on the driver before any task starts). */
  public StudyConfig config() {
    return config;
  }

  /** The number of Spark tasks (worker loops). */
  public int workers() {
    return workers;
  }

  /** Trials each worker runs. */
  public int trialsPerWorker() {
    return trialsPerWorker;
  }

  /**
   * Runs the worker loops as {@code workers} Spark tasks, one partition each, and waits for them.
   *
   * @return what each worker did, by worker index
   */
  public SparkTuneResult run(JavaSparkContext spark) {
    Objects.requireNonNull(spark, "spark");
    // The driver creates the study and stores its definition before any task starts, so that
    // `knobflow worker` and `resume` can join it as they join a study `tune` started.
    StudyDefinitions.record(config, definition.yaml(), workers * trialsPerWorker);
    List<Integer> indices = IntStream.range(0, workers).boxed().toList();
    spark.setJobDescription(
        "knobflow study '" + config.name() + "': " + workers + " x " + trialsPerWorker + " trials");
    List<WorkerReport> reports =
        spark
            .parallelize(indices, workers)
            .map(new WorkerTask(definition, trialsPerWorker, parallelismPerWorker))
            .collect();
    return new SparkTuneResult(config.name(), config.storage().describe(), reports);
  }

  /** Options for a {@link SparkTuner}. */
  public static final class Builder {
    private StudyDefinition definition;
    private int workers = 2;
    private Integer trialsPerWorker;
    private int parallelismPerWorker;

    private Builder() {}

    /** The study file; its directory is where relative paths resolve (on every executor). */
    public Builder studyFile(Path file) {
      this.definition = StudyDefinition.read(Objects.requireNonNull(file, "studyFile"));
      return this;
    }

    /** The study as text already read, e.g. from a cluster's file store. */
    public Builder study(StudyDefinition definition) {
      this.definition = Objects.requireNonNull(definition, "study");
      return this;
    }

    /** How many worker loops (Spark tasks) run at once; default 2. */
    public Builder workers(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + k);
      }
      this.workers = k;
      return this;
    }

    /**
     * Trials each worker runs; default the study file's {@code trials} divided among the workers
     * (rounded up).
     */
    public Builder trialsPerWorker(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("trialsPerWorker must be at least 1, got " + n);
      }
      this.trialsPerWorker = n;
      return this;
    }

    /** Trials each worker evaluates at once (threads in its task); default the study file's. */
    public Builder parallelismPerWorker(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelismPerWorker must be at least 1, got " + n);
      }
      this.parallelismPerWorker = n;
      return this;
    }

    /**
     * Parses the study on the driver, so a bad file fails here rather than in every task.
     *
     * @throws dev.knobflow.plugin.config.StudyFileException for a bad study file or a {@code
     *     memory} storage
     * @throws IllegalArgumentException if no study was given, or neither {@code trialsPerWorker}
     *     nor the file's {@code trials} says how many trials to run
     */
    public SparkTuner build() {
      if (definition == null) {
        throw new IllegalArgumentException("studyFile: required (the study to tune)");
      }
      StudyConfig config = definition.parse();
      int perWorker;
      if (trialsPerWorker != null) {
        perWorker = trialsPerWorker;
      } else if (config.trials().isPresent()) {
        perWorker = (config.trials().getAsInt() + workers - 1) / workers;
      } else {
        throw new IllegalArgumentException(
            "trialsPerWorker: required when the study file sets no 'trials'");
      }
      return new SparkTuner(this, config, perWorker);
    }
  }
}
