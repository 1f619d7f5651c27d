package dev.knobflow.plugin.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster for tests: one master and {@code N} workers on 127.0.0.1, each a
 * JVM started with {@code spark-class org.apache.spark.deploy.master.Master} or {@code ...Worker}
 * from the {@code pyspark} package of PyPI (which ships Spark's jars and scripts), installed at the
 * Spark version the project compiles against into {@code target/pyspark-venv} through {@link
 * PythonVenv}. Each worker offers one core and {@value #WORKER_MEMORY} to executors; the daemons
 * themselves get {@value #DAEMON_MEMORY} of heap, so the cluster fits a small shared machine.
 *
 * <p>Spark's scripts run as root too; they use this JVM's Java ({@code JAVA_HOME}).
 */
public final class SparkTestCluster implements AutoCloseable {

  /** The memory each worker offers to executors (and the executors' heap in {@link #submit}). */
  public static final String WORKER_MEMORY = "512m";

  /** The heap of the master and worker daemons. */
  public static final String DAEMON_MEMORY = "256m";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(5); // a hang guard only

  private final Path sparkHome;
  private final Path root;
  private final int port;
  private Process master;
  private final List<Process> workers = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();

  private SparkTestCluster(Path sparkHome, Path root, int port) {
    this.sparkHome = sparkHome;
    this.root = root;
    this.port = port;
  }

  /**
   * Installs Spark if needed and starts a master and {@code workers} workers under {@code root},
   * returning once every worker has registered with the master.
   */
  public static SparkTestCluster start(Path root, int workers) {
    SparkTestCluster cluster = new SparkTestCluster(sparkHome(), root, freePort());
    try {
      cluster.startDaemons(workers);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The Spark version of the {@code spark-core} jar this build compiles against. */
  public static String sparkVersion() {
    String resource = "/META-INF/maven/org.apache.spark/spark-core_2.13/pom.properties";
    try (InputStream in = org.apache.spark.SparkContext.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " in spark-core on the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code SPARK_HOME}: the {@code pyspark} package directory of {@code target/pyspark-venv}. */
  static Path sparkHome() {
    String version = sparkVersion();
    Path venv =
        PythonVenv.ensure(
            MlflowTestServer.repoRoot().resolve("target"),
            "pyspark-venv",
            v -> installedVersion(v).equals(version),
            (v, log) -> PythonVenv.pipInstall(v, log, "pyspark==" + version));
    return pysparkDir(venv);
  }

  private static Path pysparkDir(Path venv) {
    String dir =
        PythonVenv.eval(
            PythonVenv.python(venv),
            "import os, pyspark; print(os.path.dirname(pyspark.__file__))");
    return dir.isEmpty() ? null : Path.of(dir);
  }

  /** The venv's pyspark version, or "" unless it is installed with Spark's scripts. */
  private static String installedVersion(Path venv) {
    Path home = pysparkDir(venv);
    if (home == null || !Files.isExecutable(home.resolve("bin/spark-class"))) {
      return "";
    }
    return PythonVenv.eval(PythonVenv.python(venv), "import pyspark; print(pyspark.__version__)");
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The workers' directories: each application gets {@code app-*}/{@code EXECUTOR_ID} there. */
  public List<Path> workDirs() {
    return List.copyOf(workDirs);
  }

  /**
   * The executor JVMs ({@code CoarseGrainedExecutorBackend}) the workers are running now: a worker
   * starts each executor as its own child process, and starts nothing else. (Their command lines
   * are too long to filter on: the JDK reads only the first page of {@code /proc/PID/cmdline}, and
   * Spark's classpath fills it.)
   */
  public List<ProcessHandle> executors() {
    return workers.stream()
        .flatMap(Process::children)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .toList();
  }

  /**
   * A {@code spark-submit} of {@code jar} in client mode to this cluster: the driver and each
   * executor get {@value #WORKER_MEMORY}, each executor one core; {@code conf} is added as {@code
   * --conf K=V}, then the main class and its arguments. The returned builder is not started; its
   * environment is this JVM's plus Spark's.
   */
  public ProcessBuilder submit(
      Path jar, String mainClass, Map<String, String> conf, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                sparkHome.resolve("bin/spark-submit").toString(),
                "--master",
                masterUrl(),
                "--deploy-mode",
                "client",
                "--driver-memory",
                WORKER_MEMORY,
                "--executor-memory",
                WORKER_MEMORY,
                "--executor-cores",
                "1",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1"));
    conf.forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
    command.addAll(List.of("--class", mainClass, jar.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    sparkEnvironment(builder.environment());
    return builder;
  }

  private void startDaemons(int count) {
    try {
      Files.createDirectories(root.resolve("conf"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path masterLog = root.resolve("master.log");
    master =
        daemon(
            masterLog,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            "0");
    await("the Spark master at " + masterUrl())
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> logContains(masterLog, "I have been elected leader!"));
    for (int i = 0; i < count; i++) {
      Path workDir = root.resolve("worker-" + i);
      Path log = root.resolve("worker-" + i + ".log");
      workDirs.add(workDir);
      workers.add(
          daemon(
              log,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              WORKER_MEMORY,
              "--work-dir",
              workDir.toString(),
              "--webui-port",
              "0",
              masterUrl()));
    }
    await("the Spark workers registering with " + masterUrl())
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (Process p : daemons()) {
                if (!p.isAlive()) {
                  throw new IllegalStateException("a Spark daemon exited; logs in " + root);
                }
              }
              return countLines(masterLog, "Registering worker 127.0.0.1") >= count;
            });
  }

  private Process daemon(Path log, String mainClass, String... args) {
    List<String> command =
        new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    sparkEnvironment(builder.environment());
    builder.environment().put("SPARK_DAEMON_MEMORY", DAEMON_MEMORY);
    try {
      Files.createDirectories(root);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  private void sparkEnvironment(Map<String, String> env) {
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", root.resolve("local").toString());
    env.put("SPARK_LOG_DIR", root.resolve("logs").toString());
    env.put("SPARK_PID_DIR", root.toString());
    env.put("SPARK_CONF_DIR", root.resolve("conf").toString()); // empty: Spark's defaults
  }

  private static boolean logContains(Path log, String text) {
    return countLines(log, text) > 0;
  }

  private static long countLines(Path log, String text) {
    if (!Files.exists(log)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /** Stops the workers (their executors too) and the master, and waits for them to exit. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : daemons()) {
      all.addAll(p.descendants().toList());
      all.add(p.toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    workers.clear();
    master = null;
  }

  /** The workers, then the master. */
  private List<Process> daemons() {
    List<Process> all = new ArrayList<>(workers);
    if (master != null) {
      all.add(master);
    }
    return all;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
