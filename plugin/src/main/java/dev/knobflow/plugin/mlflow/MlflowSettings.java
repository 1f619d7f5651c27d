package dev.knobflow.plugin.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.plugin.config.Problems;
import dev.knobflow.plugin.config.Section;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.config.TrackingSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The MLflow parts of a study file, with the environment applied: where to track ({@code tracking}
 * or {@code MLFLOW_TRACKING_URI}), the dataset whose meta-features describe the study ({@code
 * dataset}) and warm start from past studies ({@code warm_start}).
 *
 * <pre>{@code
 * tracking: {uri: http://127.0.0.1:5000, experiment: tuning}
 * dataset: {path: data/iris.csv, target: species}
 * warm_start: {from: mlflow, k: 3, experiments: [tuning]}
 * }</pre>
 *
 * @param tracking where trials are tracked, when tracking is enabled
 * @param dataset the training data, when given
 * @param warmStart warm-start settings, when given
 */
public record MlflowSettings(
    Optional<Tracking> tracking, Optional<Dataset> dataset, Optional<WarmStartSpec> warmStart) {

  /** The study-file keys this class reads. */
  public static final List<String> KEYS = List.of("tracking", "dataset", "warm_start");

  /** Set by {@code mlflow run}: the run that becomes the study's parent run. */
  public static final String ENV_RUN_ID = "MLFLOW_RUN_ID";

  /** MLflow's standard variable for the experiment name, used when the file names none. */
  public static final String ENV_EXPERIMENT_NAME = "MLFLOW_EXPERIMENT_NAME";

  private static final List<String> DATASET_KEYS = List.of("path", "target");
  private static final List<String> WARM_START_KEYS =
      List.of("from", "k", "per_study", "experiments", "use");

  /** No tracking, no dataset, no warm start. */
  public static MlflowSettings none() {
    return new MlflowSettings(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Where to track.
   *
   * @param uri the tracking server's URL
   * @param experiment the experiment of a new study run
   * @param parentRunId the run to adopt as parent ({@code MLFLOW_RUN_ID}), if any
   */
  public record Tracking(String uri, String experiment, Optional<String> parentRunId) {
    public Tracking {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(experiment, "experiment");
      Objects.requireNonNull(parentRunId, "parentRunId");
    }
  }

  /**
   * The training data.
   *
   * @param path the CSV file, absolute
   * @param target the label column
   */
  public record Dataset(Path path, String target) {}

  /**
   * Warm start from the studies on the tracking server.
   *
   * @param neighbours how many nearest past studies give configurations ({@code k})
   * @param perStudy the most configurations taken from one study
   * @param experiments where to look (names); empty: the tracking experiment
   * @param use enqueue the configurations, hand them to the sampler as priors, or both
   */
  public record WarmStartSpec(
      int neighbours, int perStudy, List<String> experiments, WarmStartUse use) {
    public WarmStartSpec {
      experiments = List.copyOf(experiments);
      Objects.requireNonNull(use, "use");
    }

    /** Warm start that enqueues (the default {@code use}). */
    public WarmStartSpec(int neighbours, int perStudy, List<String> experiments) {
      this(neighbours, perStudy, experiments, WarmStartUse.ENQUEUE);
    }
  }

  /**
   * Reads the {@code tracking}, {@code dataset} and {@code warm_start} sections of a study file.
   *
   * @param studyFile the file (relative dataset paths resolve against its directory)
   * @param studyName the study's name: the default experiment
   * @param env environment variables, usually {@code System.getenv()}
   * @throws StudyFileException listing every problem
   */
  public static MlflowSettings read(Path studyFile, String studyName, Map<String, String> env) {
    Object root;
    try {
      root =
          new ObjectMapper(new YAMLFactory()).readValue(Files.readString(studyFile), Object.class);
    } catch (JsonProcessingException e) {
      throw StudyFileException.of(
          studyFile.toString(), "", "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw StudyFileException.of(studyFile.toString(), "", "cannot read: " + e.getMessage());
    }
    Path base = studyFile.toAbsolutePath().normalize().getParent();
    return from(root, base, studyName, env, studyFile.toString());
  }

  /**
   * Reads the sections from parsed YAML.
   *
   * @param root the whole study file as parsed YAML (a map)
   * @param baseDirectory what relative dataset paths resolve against
   * @param source the file's name, for messages
   */
  public static MlflowSettings from(
      Object root, Path baseDirectory, String studyName, Map<String, String> env, String source) {
    Problems problems = new Problems();
    Section top = Section.of(root, "", problems).orElse(null);
    if (top == null) {
      problems.throwIfAny(source);
      return none();
    }
    Optional<Tracking> tracking = tracking(top, studyName, env);
    Optional<Dataset> dataset = dataset(top, baseDirectory);
    Optional<WarmStartSpec> warmStart = warmStart(top);
    if (warmStart.isPresent() && top.has("warm_start")) {
      if (tracking.isEmpty()) {
        top.problem(
            "warm_start",
            "needs a tracking server: add tracking: {uri: http://host:5000} or set "
                + MlflowConnection.ENV_TRACKING_URI);
      }
      if (dataset.isEmpty() && !top.has("dataset")) {
        top.problem(
            "warm_start",
            "needs the dataset's meta-features to find similar studies: add dataset: {path:"
                + " data.csv, target: label}");
      }
    }
    problems.throwIfAny(source);
    return new MlflowSettings(tracking, dataset, warmStart);
  }

  /**
   * These settings with tracking on the MLflow storage's server and experiment when {@code storage}
   * is the MLflow storage and nothing else enables tracking: a study kept in MLflow is tracked
   * there, in the same runs (one study, one run tree).
   */
  public MlflowSettings withStorageTracking(
      dev.knobflow.plugin.config.StorageSpec storage, String studyName, Map<String, String> env) {
    if (!(storage instanceof dev.knobflow.plugin.config.StorageSpec.Mlflow m)) {
      return this;
    }
    String uri =
        m.trackingUri().isEmpty()
            ? blankToNull(env.get(MlflowConnection.ENV_TRACKING_URI))
            : m.trackingUri();
    if (uri == null) {
      return this;
    }
    String experiment = m.forStudy(studyName).experimentName(env);
    Optional<String> runId = tracking.flatMap(Tracking::parentRunId);
    if (runId.isEmpty()) {
      runId = Optional.ofNullable(blankToNull(env.get(ENV_RUN_ID)));
    }
    return new MlflowSettings(
        Optional.of(new Tracking(uri, experiment, runId)), dataset, warmStart);
  }

  /**
   * These settings with a server and/or experiment given on the command line, which win over the
   * study file and the environment; a server turns tracking on.
   */
  public MlflowSettings withOverrides(
      Optional<String> uri,
      Optional<String> experiment,
      String studyName,
      Map<String, String> env) {
    if (uri.isEmpty() && experiment.isEmpty()) {
      return this;
    }
    String server = uri.orElse(tracking.map(Tracking::uri).orElse(null));
    if (server == null) {
      return this; // an experiment without a server: nothing to track
    }
    String name =
        experiment.orElse(
            tracking
                .map(Tracking::experiment)
                .orElseGet(
                    () ->
                        Optional.ofNullable(blankToNull(env.get(ENV_EXPERIMENT_NAME)))
                            .orElse(studyName)));
    Optional<String> runId = tracking.flatMap(Tracking::parentRunId);
    return new MlflowSettings(Optional.of(new Tracking(server, name, runId)), dataset, warmStart);
  }

  /**
   * Reads the sections from a study file's text (the one stored with a study, or sent to Spark).
   *
   * @throws StudyFileException listing every problem
   */
  public static MlflowSettings parse(
      String yaml, Path baseDirectory, String studyName, Map<String, String> env, String source) {
    Object root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw StudyFileException.of(source, "", "not valid YAML: " + e.getOriginalMessage());
    }
    return from(root, baseDirectory, studyName, env, source);
  }

  /**
   * The settings of a worker joining a stored study ({@code worker}, {@code resume}, a Spark task):
   * its tracking only. The dataset and warm start served the study's first {@code tune}; the
   * worker's directory need not hold the dataset.
   */
  public static MlflowSettings forWorker(
      String yaml, Path baseDirectory, String studyName, Map<String, String> env, String source) {
    Object root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw StudyFileException.of(source, "", "not valid YAML: " + e.getOriginalMessage());
    }
    if (root instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new java.util.LinkedHashMap<>(map);
      copy.remove("dataset");
      copy.remove("warm_start");
      root = copy;
    }
    return from(root, baseDirectory, studyName, env, source);
  }

  private static Optional<Tracking> tracking(
      Section top, String studyName, Map<String, String> env) {
    String envUri = blankToNull(env.get(MlflowConnection.ENV_TRACKING_URI));
    Optional<String> runId = Optional.ofNullable(blankToNull(env.get(ENV_RUN_ID)));
    TrackingSection.Keys keys = TrackingSection.read(top);
    String fileUri = keys.uri().orElse(null);
    String experiment = keys.experiment().orElse(null);
    if (top.has("tracking") && !keys.present()) {
      return Optional.empty(); // not a map: reported by the section parser
    }
    if (keys.present() && !keys.uriKey() && envUri == null) {
      top.problem(
          "tracking.uri",
          "missing; give the tracking server's URL (uri: http://host:5000) or set "
              + MlflowConnection.ENV_TRACKING_URI);
    }
    // Under `mlflow run` the adopted run lives on the server of MLFLOW_TRACKING_URI.
    String uri = runId.isPresent() && envUri != null ? envUri : fileUri != null ? fileUri : envUri;
    if (uri == null) {
      return Optional.empty();
    }
    if (experiment == null) {
      experiment = Optional.ofNullable(blankToNull(env.get(ENV_EXPERIMENT_NAME))).orElse(studyName);
    }
    return Optional.of(new Tracking(uri, experiment == null ? "" : experiment, runId));
  }

  private static Optional<Dataset> dataset(Section top, Path baseDirectory) {
    Optional<Section> section = top.section("dataset");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section d = section.get();
    d.allowOnly(DATASET_KEYS);
    boolean hasPath = d.require("path", "the training data as CSV, e.g. path: data/train.csv");
    boolean hasTarget = d.require("target", "the label column's name, e.g. target: label");
    Optional<String> path = d.string("path");
    Optional<String> target = d.string("target");
    if (!hasPath || !hasTarget || path.isEmpty() || target.isEmpty()) {
      return Optional.empty();
    }
    Path file = baseDirectory.resolve(path.get()).normalize();
    if (!Files.isRegularFile(file)) {
      d.problem("path", "no such file: " + file);
      return Optional.empty();
    }
    return Optional.of(new Dataset(file, target.get()));
  }

  private static Optional<WarmStartSpec> warmStart(Section top) {
    Optional<Section> section = top.section("warm_start");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section w = section.get();
    w.allowOnly(WARM_START_KEYS);
    if (w.require("from", "where past studies are: from: mlflow")) {
      Optional<String> from = w.string("from");
      if (from.isPresent() && !from.get().equals("mlflow")) {
        w.problem("from", "must be mlflow (the tracking server), got '" + from.get() + "'");
      }
    }
    int k = (int) Math.min(100, w.integerAtLeast("k", 1).orElse(3L));
    int perStudy = (int) Math.min(100, w.integerAtLeast("per_study", 1).orElse(3L));
    List<String> experiments = new ArrayList<>();
    List<Object> items = w.list("experiments").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item instanceof String s && !s.isBlank()) {
        experiments.add(s);
      } else {
        top.problems()
            .add("warm_start.experiments[" + i + "]", "must be an experiment name, got " + item);
      }
    }
    WarmStartUse use = WarmStartUse.ENQUEUE;
    Optional<String> useText = w.string("use");
    if (useText.isPresent()) {
      List<String> allowed = List.of("enqueue", "prior", "both");
      if (allowed.contains(useText.get())) {
        use = WarmStartUse.valueOf(useText.get().toUpperCase(java.util.Locale.ROOT));
      } else {
        w.problem("use", "must be one of enqueue, prior, both, got '" + useText.get() + "'");
      }
    }
    return Optional.of(new WarmStartSpec(k, perStudy, experiments, use));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
