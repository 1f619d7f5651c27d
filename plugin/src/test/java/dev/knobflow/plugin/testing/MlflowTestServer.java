package dev.knobflow.plugin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server for tests: a pinned MLflow release installed from PyPI into {@code
 * <repo>/target/mlflow-venv} (once, cached between runs, guarded by a file lock: {@link
 * PythonVenv}), started with a SQLite backend and proxied artifacts in a fresh directory, on
 * 127.0.0.1 and a free port.
 *
 * <p>MLflow 3's security middleware accepts Host headers of localhost, 127.0.0.1 and private IPs by
 * default, so clients using {@link #trackingUri()} need no {@code --allowed-hosts}.
 *
 * <p>Python 3.10 or newer ({@code python3}, or {@code KNOBFLOW_PYTHON}) is the one requirement; the
 * venv is installed through {@link PythonVenv}.
 */
public final class MlflowTestServer {

  /**
   * The pinned release. 3.18.0 is listed on PyPI but its own dependencies (mlflow-skinny and
   * mlflow-tracing 3.18.0) are not, so it cannot be installed; 3.17.2 is the newest that can.
   */
  public static final String MLFLOW_VERSION = "3.17.2";

  /** A ceiling, not a bound: at load 100 on 2 cores a start on PostgreSQL took over 120 s. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private static MlflowTestServer shared;

  /** The MLflow venv this JVM has already found ready ({@link #ensureInstalled}). */
  private static Path checkedVenv;

  /** The pinned PostgreSQL driver MLflow uses for a {@code postgresql://} backend store. */
  public static final String PSYCOPG2_VERSION = "2.9.10";

  private final List<String> mlflow;
  private final String backendStoreUri;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private Process process;

  private MlflowTestServer(
      List<String> mlflow, String backendStoreUri, Path dataDir, Path logFile, int port) {
    this.mlflow = mlflow;
    this.backendStoreUri =
        backendStoreUri != null ? backendStoreUri : "sqlite:///" + dataDir.resolve("mlflow.db");
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.port = port;
  }

  /** The server shared by every test of this JVM: started on first use, stopped at JVM exit. */
  public static synchronized MlflowTestServer shared() {
    if (shared == null) {
      MlflowTestServer server = create();
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "mlflow-test-server-stop"));
      shared = server;
    } else if (!shared.isRunning()) {
      shared.start();
    }
    return shared;
  }

  /** A new, not yet started server with its own database and artifact directory. */
  public static MlflowTestServer create() {
    Path target = repoRoot().resolve("target");
    return create(List.of(ensureInstalled(target).toString()), null);
  }

  /**
   * A new, not yet started server whose backend store is {@code backendStoreUri}, e.g. a {@code
   * postgresql://} database: it runs from {@code target/mlflow-pg-venv}, a venv that sees the
   * pinned MLflow of {@code target/mlflow-venv} (through a {@code .pth} file, leaving that venv
   * untouched) and adds the pinned {@code psycopg2-binary}.
   */
  public static MlflowTestServer createWithBackend(String backendStoreUri) {
    Path target = repoRoot().resolve("target");
    Path python = ensurePostgresDriver(target, ensureInstalled(target));
    return create(List.of(python.toString(), "-m", "mlflow"), backendStoreUri);
  }

  private static MlflowTestServer create(List<String> launcher, String backendStoreUri) {
    Path target = repoRoot().resolve("target");
    try {
      Files.createDirectories(target.resolve("mlflow-server"));
      Path dataDir = Files.createTempDirectory(target.resolve("mlflow-server"), "run-");
      int port = freePort();
      return new MlflowTestServer(
          launcher, backendStoreUri, dataDir, dataDir.resolve("server.log"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:5123}. */
  public String trackingUri() {
    return "http://127.0.0.1:" + port;
  }

  /** The port, the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The server's log file. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the server process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the server and waits until {@code GET /health} answers. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(mlflow);
    command.addAll(
        List.of(
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--backend-store-uri",
            backendStoreUri,
            "--artifacts-destination",
            dataDir.resolve("artifacts").toString(),
            "--workers",
            "1"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().put("PYTHONUNBUFFERED", "1");
    builder.environment().put("MLFLOW_TRACKING_URI", trackingUri());
    // MLflow 3 also starts Huey job consumers (GenAI scoring, trace archival) that tracking does
    // not use; on a small machine they take CPU from the server and the tests.
    builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
    // No usage telemetry from a test server: its thread edits os.environ while others read it.
    builder.environment().put("MLFLOW_DISABLE_TELEMETRY", "true");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + mlflow, e);
    }
    waitForHealth();
  }

  /** Stops the server (its workers too) and waits for the port to be free. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    process = null;
  }

  /** Stops and starts again on the same port with the same database and artifacts. */
  public synchronized void restart() {
    stop();
    start();
  }

  private void waitForHealth() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(trackingUri() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mlflow server exited with " + process.exitValue() + "; log tail:\n" + logTail());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for mlflow server", e);
      }
      sleep(250);
    }
    stop();
    throw new IllegalStateException(
        "mlflow server did not answer GET /health within "
            + START_TIMEOUT.toSeconds()
            + " s; log tail:\n"
            + logTail());
  }

  /** The last 40 lines of the server log. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }

  // ---- installation --------------------------------------------------------------------

  /** The directory holding {@code mvnw}, found by walking up from the working directory. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw"))) {
        return d;
      }
    }
    throw new IllegalStateException("no mvnw found above " + dir + "; run from the repository");
  }

  /**
   * Installs the pinned MLflow into target/mlflow-venv unless it is already there; checked once per
   * JVM (every server of a JVM comes from the same venv).
   */
  static synchronized Path ensureInstalled(Path target) {
    Path venv = target.resolve("mlflow-venv");
    if (!venv.equals(checkedVenv)) {
      PythonVenv.ensure(
          target,
          "mlflow-venv",
          v -> installedVersionMatches(v),
          (v, log) -> PythonVenv.pipInstall(v, log, "mlflow==" + MLFLOW_VERSION));
      checkedVenv = venv;
    }
    return mlflowIn(venv);
  }

  private static Path mlflowIn(Path venv) {
    return venv.resolve("bin").resolve("mlflow");
  }

  /**
   * Prepares {@code target/mlflow-pg-venv}: the MLflow venv's packages through a {@code .pth} file
   * plus {@code psycopg2-binary}, and returns its python.
   */
  static Path ensurePostgresDriver(Path target, Path mlflow) {
    Path venv =
        PythonVenv.ensure(
            target,
            "mlflow-pg-venv",
            v ->
                PythonVenv.distributionVersions(v, "psycopg2-binary", "mlflow")
                    .equals(List.of(PSYCOPG2_VERSION, MLFLOW_VERSION)),
            (v, log) -> {
              String purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])";
              String shared = PythonVenv.eval(mlflow.getParent().resolve("python"), purelib);
              String own = PythonVenv.eval(PythonVenv.python(v), purelib);
              Files.writeString(Path.of(own, "knobflow-mlflow-venv.pth"), shared + "\n");
              PythonVenv.pipInstall(v, log, "psycopg2-binary==" + PSYCOPG2_VERSION);
            });
    return PythonVenv.python(venv);
  }

  /**
   * Whether the venv has the pinned MLflow and its {@code mlflow} script. Reads the installed
   * distributions' metadata rather than running {@code mlflow --version}, which imports MLflow: 7 s
   * of CPU per check on this project's CI machine, against 0.2 s. A server that cannot start still
   * fails with its log tail ({@link #start()}).
   */
  private static boolean installedVersionMatches(Path venv) {
    return Files.isExecutable(mlflowIn(venv))
        && PythonVenv.distributionVersions(venv, "mlflow", "mlflow-skinny")
            .equals(List.of(MLFLOW_VERSION, MLFLOW_VERSION));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
