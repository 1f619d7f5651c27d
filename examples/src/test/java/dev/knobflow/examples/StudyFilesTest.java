package dev.knobflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.knobflow.examples.xgboost.XgbObjective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped study files stay in step with the code they name. */
class StudyFilesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode read(String path) throws IOException {
    // Surefire runs in the module directory.
    return YAML.readTree(Path.of(path).toFile());
  }

  private static List<String> objectiveNames(JsonNode study) {
    List<String> names = new ArrayList<>();
    study.path("objectives").forEach(o -> names.add(o.path("name").asText()));
    return names;
  }

  @Test
  void xgboostStudyNamesALoadableObjectiveClassThatReturnsItsObjectives() throws Exception {
    JsonNode study = read("xgboost/study.yaml");
    assertEquals("xgb-demo", study.path("name").asText());
    assertEquals(
        List.of(XgbObjective.ACCURACY, XgbObjective.LATENCY_MS, XgbObjective.MODEL_SIZE_BYTES),
        objectiveNames(study));
    assertEquals("journal:.knobflow/journal.jsonl", study.path("storage").asText());
    String className = study.path("objective").path("class").asText();
    // What the CLI does: load the class by name and call its public no-arg constructor.
    Object objective = Class.forName(className).getConstructor().newInstance();
    assertInstanceOf(ObjectiveFunction.class, objective);
  }

  @Test
  void hyperbandStudyUsesBoostingRoundsAsTheBudget() throws Exception {
    JsonNode study = read("xgboost/study-hyperband.yaml");
    assertEquals(List.of(XgbObjective.ACCURACY, XgbObjective.LATENCY_MS), objectiveNames(study));
    JsonNode scheduler = study.path("scheduler");
    assertEquals("hyperband", scheduler.path("type").asText());
    assertEquals(10, scheduler.path("min_budget").asInt());
    assertEquals(270, scheduler.path("max_budget").asInt());
    // One Hyperband cycle for 10..270 with eta 3: 40 + 17 + 8 + 4 trials.
    assertEquals(69, study.path("trials").asInt());
    assertEquals(XgbObjective.class.getName(), study.path("objective").path("class").asText());
  }

  @Test
  void commandStudyDeclaresAValidSpaceAndNamesTheScript() throws Exception {
    JsonNode study = read("command/study.yaml");
    assertEquals(List.of(XgbObjective.ACCURACY, XgbObjective.LATENCY_MS), objectiveNames(study));
    List<String> command = new ArrayList<>();
    study.path("objective").path("command").forEach(c -> command.add(c.asText()));
    assertEquals(List.of("python3", "train.py"), command);
    // Every declared distribution parses as the engine reads it.
    Map<String, Distribution> space = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : study.path("space").properties()) {
      space.put(e.getKey(), DistributionJson.fromJson(e.getValue()));
    }
    assertEquals(List.of("lr", "hidden", "epochs", "l2"), List.copyOf(space.keySet()));
    assertTrue(space.get("lr").contains(0.1) && !space.get("lr").contains(2.0));
  }
}
