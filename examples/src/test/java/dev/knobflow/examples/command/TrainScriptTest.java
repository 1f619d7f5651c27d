package dev.knobflow.examples.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs command/train.py the way a command objective does; skipped where python3 is missing. */
class TrainScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exitCode, List<JsonNode> lines, String stderr) {}

  private static Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "train.py"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("command").toFile());
    pb.environment().remove("KNOBFLOW_PARAMS");
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException noPython) {
      assumeTrue(false, "python3 is not installed: " + noPython.getMessage());
      throw noPython;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "train.py did not finish");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return new Run(p.exitValue(), lines, err);
  }

  @Test
  void paramsFromTheEnvironmentGiveOneLossLinePerEpochAndFinalMetrics() throws Exception {
    Run r = run(Map.of("KNOBFLOW_PARAMS", "{\"lr\": 0.5, \"hidden\": 4, \"epochs\": 12}"));
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(13, r.lines().size());
    for (int k = 0; k < 12; k++) {
      assertEquals(k + 1, r.lines().get(k).path("step").asInt());
      assertTrue(r.lines().get(k).path("loss").isNumber());
    }
    // Gradient descent lowers the training loss.
    assertTrue(
        r.lines().get(11).path("loss").asDouble() < r.lines().get(0).path("loss").asDouble());
    JsonNode last = r.lines().get(12);
    assertTrue(last.path("accuracy").asDouble() > 0.8, last.toString());
    assertTrue(last.path("latency_ms").asDouble() > 0, last.toString());
  }

  @Test
  void argumentsOverrideTheEnvironmentAndUnknownNamesAreRejected() throws Exception {
    Run r = run(Map.of("KNOBFLOW_PARAMS", "{\"epochs\": 50}"), "--epochs=3", "--hidden", "2");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(4, r.lines().size());

    Run bad = run(Map.of(), "--depth", "3");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.stderr().contains("unknown parameter 'depth'"), bad.stderr());
  }
}
