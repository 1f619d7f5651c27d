package dev.knobflow.plugin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the system's PostgreSQL binaries (Debian's {@code
 * postgresql} package: {@code .ci/run} installs it): a fresh cluster in a temporary directory,
 * listening on 127.0.0.1 and a free port, with password (SCRAM) authentication for the superuser
 * {@value #USER}.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: then every server command runs as the
 * unprivileged user {@code nobody} through {@code setpriv} (util-linux), which execs in place, so
 * the postmaster is this JVM's child. Binaries are found in {@code KNOBFLOW_PG_BIN}, else the
 * newest {@code /usr/lib/postgresql/<version>/bin}, else on the PATH.
 */
public final class PostgresTestServer {

  /** The superuser. */
  public static final String USER = "knobflow";

  /** Its password. */
  public static final String PASSWORD = "s3cret-Pw_for-tests";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresTestServer shared;

  private final Path bin;
  private final Path root;
  private final Path data;
  private final Path logFile;
  private final int port;
  private final boolean asRoot;
  private Process process;

  private PostgresTestServer(Path bin, Path root, int port) {
    this.bin = bin;
    this.root = root;
    this.data = root.resolve("data");
    this.logFile = root.resolve("server.log");
    this.port = port;
    this.asRoot = "root".equals(System.getProperty("user.name"));
  }

  /** The server shared by every test of this JVM: started on first use, stopped at JVM exit. */
  public static synchronized PostgresTestServer shared() {
    if (shared == null) {
      PostgresTestServer server = create();
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "postgres-test-stop"));
      shared = server;
    } else if (!shared.isRunning()) {
      shared.start();
    }
    return shared;
  }

  /** A new cluster (initdb done), not yet started; {@link #destroy()} removes it. */
  public static PostgresTestServer create() {
    try {
      Path root = Files.createTempDirectory(Path.of("/tmp"), "knobflow-pg-");
      PostgresTestServer server = new PostgresTestServer(binaries(), root, freePort());
      server.initdb();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path binaries() {
    String env = System.getenv("KNOBFLOW_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        var newest =
            versions
                .filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException | NumberFormatException e) {
        // fall through to the PATH
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
        return Path.of(dir);
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries (initdb, postgres): install Debian's postgresql package"
            + " (apt-get install -y postgresql, as .ci/run does) or set KNOBFLOW_PG_BIN");
  }

  private List<String> asServerUser(String... command) {
    List<String> out = new ArrayList<>();
    if (asRoot) {
      out.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  private void initdb() throws IOException {
    Path pwfile = root.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n");
    if (asRoot) {
      run(List.of("chown", "-R", "nobody:nogroup", root.toString()), Duration.ofSeconds(30));
    }
    run(
        asServerUser(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "--pwfile=" + pwfile,
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync"),
        Duration.ofSeconds(120));
  }

  private void run(List<String> command, Duration timeout) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .directory(root.toFile())
            .start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " failed; log tail:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The port, the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Whether the postmaster is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the postmaster and waits until it accepts a login. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    List<String> command =
        asServerUser(
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=" + root,
            "-c",
            "max_connections=200",
            "-c",
            "fsync=off");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("postgres exited; log tail:\n" + logTail());
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        // not accepting connections yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    stop();
    throw new IllegalStateException("postgres did not start in time; log tail:\n" + logTail());
  }

  /** Fast shutdown (SIGINT: clients are disconnected, the data is kept). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Stops and starts again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** Stops the server and deletes its cluster. */
  public synchronized void destroy() {
    stop();
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temporary directory
    }
  }

  /** Creates a fresh database and returns its URL with the password in it. */
  public String newDatabase() {
    String name = "kf_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return url(name, true);
  }

  /** {@code postgresql://knobflow[:password]@127.0.0.1:port/db}. */
  public String url(String database, boolean withPassword) {
    return "postgresql://"
        + USER
        + (withPassword ? ":" + PASSWORD : "")
        + "@127.0.0.1:"
        + port
        + "/"
        + database;
  }

  /** A JDBC connection as the superuser, for test set-up and checks. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, PASSWORD);
  }

  /** The last 40 lines of the server log. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
