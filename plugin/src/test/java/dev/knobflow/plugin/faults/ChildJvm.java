package dev.knobflow.plugin.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class run as its own JVM on the test classpath, its stdout collected line by line; {@link
 * #kill()} is {@code destroyForcibly}, SIGKILL on Linux: no shutdown hook, no finally block runs.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process was killed
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Class<?> mainClass, Path logFile, String... args) throws IOException {
    return start(List.of(), mainClass, logFile, args);
  }

  /** Starts {@code mainClass} with extra JVM options (e.g. {@code -Dkey=value}). */
  static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, Path logFile, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(jvmOptions); // after the defaults, so an option can override them
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()))
            .start();
    return new ChildJvm(p);
  }

  /** Waits until a line matches, or fails after {@code timeout}. */
  String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (String line : lines) {
        if (matches.test(line)) {
          return line;
        }
      }
      if (!process.isAlive() && !reader.isAlive()) {
        break;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no matching line within " + timeout + "; got " + lines);
  }

  /** Waits until at least {@code n} lines match. */
  void awaitCount(Predicate<String> matches, int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (lines.stream().filter(matches).count() >= n) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("fewer than " + n + " matching lines within " + timeout);
  }

  /** SIGKILL, then waits for the process and for its last output to be read. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5_000);
  }

  /** Waits for a normal exit and returns the exit code. */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not finish within " + timeout + "; got " + lines);
    }
    reader.join(5_000);
    return process.exitValue();
  }

  /** Everything the process printed so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
