package dev.knobflow.plugin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one way the tests install pinned Python packages from PyPI: a venv {@code
 * <repo>/target/<name>}, created once and kept between runs, prepared under the file lock {@code
 * target/<name>.lock} so that concurrent test JVMs (and concurrent builds of one clone) install it
 * once and never use it half-installed. The MLflow server ({@link MlflowTestServer}) and the Spark
 * standalone cluster ({@link SparkTestCluster}) come from here.
 *
 * <p>Python 3.10 or newer ({@code python3}, or {@code KNOBFLOW_PYTHON}) is the one requirement.
 */
public final class PythonVenv {

  /** pip's limit for one install: PyPI downloads of a few hundred MB on a slow link. */
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

  /** What to install into a fresh venv. */
  @FunctionalInterface
  public interface Setup {
    /**
     * Installs into the freshly created {@code venv}; commands append their output to {@code log}.
     */
    void install(Path venv, Path log) throws IOException;
  }

  private PythonVenv() {}

  /**
   * Returns {@code target/<name>}, first creating it and running {@code setup} unless {@code ready}
   * already holds for it. Holds the lock throughout, so a second caller waits and then finds it
   * ready.
   *
   * @throws IllegalStateException if an install step fails or times out (naming its log), or {@code
   *     ready} still fails afterwards
   */
  public static Path ensure(Path target, String name, Predicate<Path> ready, Setup setup) {
    Path venv = target.resolve(name);
    try {
      Files.createDirectories(target);
      try (FileChannel channel =
              FileChannel.open(
                  target.resolve(name + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (ready.test(venv)) {
          return venv;
        }
        Path log = target.resolve(name + "-install.log");
        run(List.of(findPython(), "-m", "venv", "--clear", venv.toString()), log);
        setup.install(venv, log);
        if (!ready.test(venv)) {
          throw new IllegalStateException(
              "installed " + venv + " but it does not pass its check; see " + log);
        }
        return venv;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + venv, e);
    }
  }

  /** {@code pip install --quiet REQUIREMENTS...} with the venv's own pip. */
  public static void pipInstall(Path venv, Path log, String... requirements) {
    List<String> command =
        new ArrayList<>(List.of(python(venv).toString(), "-m", "pip", "install", "--quiet"));
    command.addAll(List.of(requirements));
    run(command, log);
  }

  /** The venv's {@code bin/python}. */
  public static Path python(Path venv) {
    return venv.resolve("bin").resolve("python");
  }

  /** Runs a Python one-liner and returns its trimmed output ("" if it cannot run or fails). */
  public static String eval(Path python, String code) {
    if (!Files.isExecutable(python)) {
      return "";
    }
    return output(List.of(python.toString(), "-c", code));
  }

  /**
   * The installed versions of the named distributions as the venv's Python sees them (its
   * site-packages and any {@code .pth} additions), "" for one that is missing; read from the
   * distributions' metadata, without importing the packages. Empty if the venv cannot run.
   */
  public static List<String> distributionVersions(Path venv, String... distributions) {
    String code =
        "import sys, importlib.metadata as m\n"
            + "for d in sys.argv[1:]:\n"
            + "    try: print(m.version(d))\n"
            + "    except m.PackageNotFoundError: print('')\n";
    Path python = python(venv);
    if (!Files.isExecutable(python)) {
      return List.of();
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), "-c", code));
    command.addAll(List.of(distributions));
    String out = output(command);
    return out.isEmpty() ? List.of() : List.of(out.split("\n", -1));
  }

  /** Runs {@code command} and returns its trimmed output ("" if it cannot run or fails). */
  public static String output(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The system Python that venvs are made from: 3.10 or newer. */
  static String findPython() {
    String python = System.getenv().getOrDefault("KNOBFLOW_PYTHON", "python3");
    String version;
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
              .redirectErrorStream(true)
              .start();
      version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException(
          "The tests that start MLflow or Spark need Python 3.10+ as `"
              + python
              + "` (or set KNOBFLOW_PYTHON), but it cannot be run: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    String[] parts = version.split("\\.");
    boolean ok =
        parts.length == 2
            && parts[0].equals("3")
            && parts[1].chars().allMatch(Character::isDigit)
            && Integer.parseInt(parts[1]) >= 10;
    if (!ok) {
      throw new IllegalStateException(
          "The tests that start MLflow or Spark need Python 3.10+, but `"
              + python
              + "` reports '"
              + version
              + "'");
    }
    return python;
  }

  /** Runs an install step, its output appended to {@code log}; fails unless it exits with 0. */
  static void run(List<String> command, Path log) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out; see " + log);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed with " + p.exitValue() + "; see " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
