package dev.knobflow.plugin.config;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a study lives, as written in a study file or on the command line: {@code memory}, {@code
 * journal:<path>} (or bare {@code journal} for {@value #DEFAULT_JOURNAL}), {@code mlflow} or {@code
 * postgresql://USER[:PASSWORD]@HOST[:PORT]/DB}.
 */
public sealed interface StorageSpec {

  /** The journal path used when none is given. */
  String DEFAULT_JOURNAL = ".knobflow/journal.jsonl";

  /** The accepted forms, for messages. */
  String FORMS =
      "memory, journal:<path> (or journal for "
          + DEFAULT_JOURNAL
          + "), mlflow or "
          + PostgresUrl.FORM;

  /** Opens (or creates) the storage. */
  StudyStorage open();

  /** The form to write it back, e.g. {@code journal:/abs/path/journal.jsonl}. */
  String describe();

  /** Trials kept in this process only; gone when it ends. */
  record Memory() implements StorageSpec {
    @Override
    public StudyStorage open() {
      return InMemoryStorage.create();
    }

    @Override
    public String describe() {
      return "memory";
    }
  }

  /** The append-only journal file; safe for several processes on one host. */
  record Journal(Path path) implements StorageSpec {
    @Override
    public StudyStorage open() {
      return JournalStorage.open(path);
    }

    @Override
    public String describe() {
      return "journal:" + path;
    }
  }

  /**
   * An MLflow tracking server (see docs/mlflow-storage.md): the study run and its trial runs are
   * the state, so workers on several machines can share a study.
   *
   * @param trackingUri the server, or empty for {@code MLFLOW_TRACKING_URI}
   * @param experiment the experiment holding the studies, or empty for {@code
   *     MLFLOW_EXPERIMENT_NAME}, else the study's name when a study is known ({@link #forStudy}),
   *     else {@value MlflowStudyStorage#DEFAULT_EXPERIMENT}
   */
  record Mlflow(String trackingUri, String experiment) implements StorageSpec {

    /** The server from the environment, the default experiment. */
    public Mlflow(String trackingUri) {
      this(trackingUri, "");
    }

    @Override
    public StudyStorage open() {
      Map<String, String> env = System.getenv();
      String uri = trackingUri.isEmpty() ? env.getOrDefault(ENV_URI, "") : trackingUri;
      if (uri.isBlank()) {
        throw new IllegalArgumentException(
            "the mlflow storage needs a tracking server: set "
                + ENV_URI
                + ", write tracking: {uri: http://host:5000} in the study file, or use"
                + " mlflow:http://host:5000");
      }
      return MlflowStudyStorage.open(MlflowConnection.of(uri, env), experimentName(env));
    }

    /** The experiment name in effect. */
    public String experimentName(Map<String, String> env) {
      if (!experiment.isEmpty()) {
        return experiment;
      }
      String fromEnv = env.get(ENV_EXPERIMENT);
      return fromEnv == null || fromEnv.isBlank() ? MlflowStudyStorage.DEFAULT_EXPERIMENT : fromEnv;
    }

    /**
     * The storage for study {@code study}: without an explicit experiment, the experiment named by
     * {@code MLFLOW_EXPERIMENT_NAME}, else the one named after the study (as the tracking listener
     * does).
     */
    public Mlflow forStudy(String study) {
      if (!experiment.isEmpty()) {
        return this;
      }
      String fromEnv = System.getenv(ENV_EXPERIMENT);
      return withExperiment(fromEnv == null || fromEnv.isBlank() ? study : fromEnv);
    }

    /** The same server with another experiment. */
    public Mlflow withExperiment(String name) {
      return new Mlflow(trackingUri, name);
    }

    @Override
    public String describe() {
      String where = trackingUri.isEmpty() ? "mlflow" : "mlflow:" + trackingUri;
      return experiment.isEmpty() ? where : where + " (experiment " + experiment + ")";
    }
  }

  /**
   * A PostgreSQL database (see docs/deploy.md): workers on many machines share a study through it.
   * The password comes from the URL, else {@code PGPASSWORD}, else {@code ~/.pgpass}; it is never
   * printed ({@link #describe()} masks it).
   */
  record Postgres(PostgresUrl url) implements StorageSpec {
    @Override
    public StudyStorage open() {
      try {
        return PostgresStorage.open(url, System.getenv());
      } catch (NoClassDefFoundError e) {
        throw new IllegalArgumentException(
            "the postgresql storage needs the PostgreSQL JDBC driver and HikariCP on the class path"
                + " (org.postgresql:postgresql and com.zaxxer:HikariCP; the knobflow CLI jar has"
                + " both)");
      }
    }

    @Override
    public String describe() {
      return url.describe();
    }

    @Override
    public String toString() {
      return "Postgres[" + url.describe() + "]";
    }
  }

  /** Where the mlflow storage finds the server when the study file does not say. */
  String ENV_URI = "MLFLOW_TRACKING_URI";

  /** Where the mlflow storage finds the experiment when the study file does not say. */
  String ENV_EXPERIMENT = "MLFLOW_EXPERIMENT_NAME";

  /** The default: the journal at {@value #DEFAULT_JOURNAL} under {@code baseDirectory}. */
  static StorageSpec defaultFor(Path baseDirectory) {
    return new Journal(baseDirectory.resolve(DEFAULT_JOURNAL).normalize());
  }

  /**
   * Parses a storage string. A relative journal path resolves against {@code baseDirectory} (the
   * study file's directory for study files, the working directory on the command line).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static StorageSpec parse(String text, Path baseDirectory) {
    String t = text == null ? "" : text.trim();
    if (t.equals("memory")) {
      return new Memory();
    }
    if (t.equals("journal")) {
      return defaultFor(baseDirectory);
    }
    if (t.startsWith("journal:")) {
      String file = t.substring("journal:".length()).trim();
      if (file.isEmpty()) {
        throw new IllegalArgumentException("journal: needs a file path, e.g. journal:runs/j.jsonl");
      }
      return new Journal(baseDirectory.resolve(file).toAbsolutePath().normalize());
    }
    if (t.equals("mlflow")) {
      return new Mlflow("");
    }
    if (t.startsWith("mlflow:")) {
      return new Mlflow(t.substring("mlflow:".length()));
    }
    if (t.startsWith("postgres://")) {
      t = "postgresql://" + t.substring("postgres://".length());
    }
    if (t.startsWith(PostgresUrl.SCHEME)) {
      return new Postgres(PostgresUrl.parse(t));
    }
    throw new IllegalArgumentException(
        "must be "
            + FORMS
            + ", got '"
            + PostgresUrl.redact(text)
            + "'"
            + Suggestions.hint(t, java.util.List.of("memory", "journal", "mlflow", "postgresql")));
  }
}
