package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.knobflow.plugin.config.StudyFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmStartUseTest {

  private static final Map<String, String> ENV = Map.of("MLFLOW_TRACKING_URI", "http://h:5000");

  @TempDir Path dir;

  private MlflowSettings read(String yaml) throws Exception {
    Object root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    return MlflowSettings.from(root, dir, "study", ENV, "study.yaml");
  }

  private WarmStartUse use(String warmStart) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("d.csv"), "a,label\n1,x\n2,y\n");
    return read("dataset: {path: d.csv, target: label}\nwarm_start: " + warmStart + "\n")
        .warmStart()
        .orElseThrow()
        .use();
  }

  @Test
  void useDefaultsToEnqueue() throws Exception {
    assertEquals(WarmStartUse.ENQUEUE, use("{from: mlflow, k: 2}"));
  }

  @Test
  void useReadsPriorAndBoth() throws Exception {
    assertEquals(WarmStartUse.PRIOR, use("{from: mlflow, use: prior}"));
    assertEquals(WarmStartUse.BOTH, use("{from: mlflow, k: 3, experiments: [a], use: both}"));
    assertEquals(WarmStartUse.ENQUEUE, use("{from: mlflow, use: enqueue}"));
  }

  @Test
  void unknownUseNamesTheFieldAndTheChoices() throws Exception {
    StudyFileException e =
        assertThrows(StudyFileException.class, () -> use("{from: mlflow, use: priors}"));
    assertTrue(
        e.getMessage()
            .contains("warm_start.use: must be one of enqueue, prior, both, got 'priors'"),
        e.getMessage());
  }

  @Test
  void enqueueAndPriorFlagsFollowTheChoice() {
    assertTrue(WarmStartUse.ENQUEUE.enqueues());
    assertFalse(WarmStartUse.ENQUEUE.priors());
    assertFalse(WarmStartUse.PRIOR.enqueues());
    assertTrue(WarmStartUse.PRIOR.priors());
    assertTrue(WarmStartUse.BOTH.enqueues());
    assertTrue(WarmStartUse.BOTH.priors());
  }
}
