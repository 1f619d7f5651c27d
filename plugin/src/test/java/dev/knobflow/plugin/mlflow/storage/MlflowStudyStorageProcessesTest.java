package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two JVMs create trials on one study at the same time. */
@Tag("mlflow")
class MlflowStudyStorageProcessesTest {

  private static final int PER_PROCESS = 4;

  @Test
  void twoProcessesCreatingTrialsAtOnceNeverShareANumber() throws Exception {
    String uri = MlflowTestServer.shared().trackingUri();
    String experiment = "procs-" + UUID.randomUUID().toString().substring(0, 8);
    try (MlflowStudyStorage setup = MlflowStudyStorage.open(MlflowConnection.of(uri), experiment)) {
      setup.createStudy("procs", List.of(Objective.minimize("loss")));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  CreateTrialsProcess.class.getName(),
                  uri,
                  experiment,
                  "procs",
                  Integer.toString(PER_PROCESS))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
    Map<Integer, String> runByNumber = new HashMap<>();
    List<Integer> numbers = new ArrayList<>();
    for (Process process : processes) {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(true, process.waitFor(3, TimeUnit.MINUTES));
      assertEquals(0, process.exitValue(), out);
      for (String line : out.strip().split("\n")) {
        String[] parts = line.split(" ");
        numbers.add(Integer.parseInt(parts[0]));
        runByNumber.put(Integer.parseInt(parts[0]), parts[1]);
      }
    }
    numbers.sort(null);
    assertEquals(IntStream.range(0, 2 * PER_PROCESS).boxed().toList(), numbers);
    try (MlflowStudyStorage reader =
        MlflowStudyStorage.open(MlflowConnection.of(uri), experiment)) {
      assertEquals(2 * PER_PROCESS, reader.trials("procs").size());
      runByNumber.forEach((n, run) -> assertEquals(run, reader.trialRunId("procs", n)));
    }
  }
}
