package dev.knobflow.plugin.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.cli.Main;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher's logging (Main.main): with the LLM endpoint down, the default output has the
 * cause in one line and no stack trace; {@code -v} shows the trace.
 */
class QuietFailuresTest {

  @TempDir Path dir;

  private static final String OBJECTIVE =
      """
      #!/bin/bash
      for s in $(seq 0 15); do echo "{\\"step\\": $s, \\"loss\\": $((10 ** s))}"; done
      echo '{"loss": 1e15}'
      """;

  @Test
  void anUnreachableLlmEndpointLogsOneLineWithoutAStackTrace() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Files.writeString(dir.resolve("objective.sh"), OBJECTIVE);
    Files.writeString(
        dir.resolve("study.yaml"),
        """
        name: llm-down
        storage: memory
        objectives: [{name: loss, direction: minimize}]
        space: {lr: {type: float, low: 0.001, high: 1, log: true}}
        trials: 1
        objective: {command: [bash, objective.sh]}
        advisor:
          mode: report
          llm: {base_url: "http://127.0.0.1:%d/v1", model: m, api_key_env: PATH}
        """
            .formatted(closedPort));
    String quiet = run("tune", dir.resolve("study.yaml").toString());
    assertTrue(
        quiet.contains("fell back to the rules: cannot connect to http://127.0.0.1:" + closedPort),
        quiet);
    assertFalse(quiet.contains("\tat "), "no stack trace at default verbosity:\n" + quiet);

    String verbose = run("tune", dir.resolve("study.yaml").toString(), "-v");
    assertTrue(verbose.contains("\tat dev.langchain4j"), "the trace with -v");
  }

  private String run(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "stderr", ".log");
    try (ChildJvm jvm = ChildJvm.start(Main.class, log, args)) {
      assertEquals(0, jvm.await(Duration.ofMinutes(3)), String.join("\n", jvm.lines()));
    }
    return Files.readString(log);
  }
}
