package dev.knobflow.greenmetrics.nvidia;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion and collects its merged stdout and stderr lines. */
final class CommandRunner {

  /** Output of a finished command. */
  record Result(int exitCode, List<String> lines) {
    String joined() {
      return String.join("\n", lines).trim();
    }
  }

  private CommandRunner() {}

  /**
   * Runs {@code command}.
   *
   * @throws IOException when the program cannot be started or exceeds the timeout
   */
  static Result run(List<String> command, Duration timeout) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the process was killed; whatever was read is kept
              }
            },
            "knobflow-command-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "'" + String.join(" ", command) + "' did not finish within " + timeout);
      }
      reader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    synchronized (lines) {
      return new Result(process.exitValue(), List.copyOf(lines));
    }
  }
}
