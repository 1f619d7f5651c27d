package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.knobflow.mlflowrest.MlflowTrackingException;
import dev.knobflow.plugin.config.StudyFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowSettingsTest {

  @TempDir Path dir;

  MlflowSettings read(String yaml, Map<String, String> env) throws Exception {
    Object root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    return MlflowSettings.from(root, dir, "study", env, "study.yaml");
  }

  @Test
  void noTrackingWithoutSectionOrEnvironment() throws Exception {
    assertEquals(MlflowSettings.none(), read("name: study\n", Map.of()));
  }

  @Test
  void environmentUriEnablesTrackingWithTheStudyNameAsExperiment() throws Exception {
    MlflowSettings s = read("name: study\n", Map.of("MLFLOW_TRACKING_URI", "http://h:5000"));
    assertEquals(
        Optional.of(new MlflowSettings.Tracking("http://h:5000", "study", Optional.empty())),
        s.tracking());
  }

  @Test
  void fileUriWinsUnlessAnMlflowRunIdPinsTheEnvironmentsServer() throws Exception {
    String yaml = "tracking: {uri: http://file:5000, experiment: exp}\n";
    assertEquals(
        "http://file:5000",
        read(yaml, Map.of("MLFLOW_TRACKING_URI", "http://env:5000")).tracking().get().uri());
    MlflowSettings.Tracking underMlflowRun =
        read(yaml, Map.of("MLFLOW_TRACKING_URI", "http://env:5000", "MLFLOW_RUN_ID", "abc"))
            .tracking()
            .get();
    assertEquals("http://env:5000", underMlflowRun.uri());
    assertEquals(Optional.of("abc"), underMlflowRun.parentRunId());
    assertEquals("exp", underMlflowRun.experiment());
  }

  @Test
  void problemsNameTheirKeysAndAreReportedTogether() {
    StudyFileException e =
        assertThrows(
            StudyFileException.class,
            () ->
                read(
                    "tracking: {url: http://h:5000}\n"
                        + "dataset: {path: missing.csv}\n"
                        + "warm_start: {from: disk, k: 0}\n",
                    Map.of()));
    String m = e.getMessage();
    assertTrue(m.contains("tracking.url: unknown key; did you mean 'uri'?"), m);
    assertTrue(m.contains("tracking.uri: missing"), m);
    assertTrue(m.contains("dataset.target: missing"), m);
    assertTrue(m.contains("warm_start.from: must be mlflow"), m);
    assertTrue(m.contains("warm_start.k"), m);
    assertTrue(m.contains("warm_start: needs a tracking server"), m);
  }

  @Test
  void datasetPathResolvesAgainstTheStudyFilesDirectory() throws Exception {
    Files.writeString(dir.resolve("d.csv"), "a,label\n1,x\n2,y\n");
    MlflowSettings s =
        read(
            "dataset: {path: d.csv, target: label}\nwarm_start: {from: mlflow, experiments: [e1, e2]}\n",
            Map.of("MLFLOW_TRACKING_URI", "http://h:5000"));
    assertEquals(dir.resolve("d.csv"), s.dataset().get().path());
    assertEquals(List.of("e1", "e2"), s.warmStart().get().experiments());
    assertEquals(3, s.warmStart().get().neighbours());
  }

  @Test
  void unreachableServerFailsAtOnceNamingTheUri() throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(
        file,
        "name: s\nobjectives: [{name: v, direction: minimize}]\nspace: {x: {type: float, low: 0,"
            + " high: 1}}\ntrials: 1\nobjective: {command: [true]}\ntracking: {uri:"
            + " http://127.0.0.1:9}\n");
    var config = dev.knobflow.plugin.config.StudyFileParser.standard().parse(file);
    MlflowSettings settings = MlflowSettings.read(file, "s", Map.of());
    MlflowTrackingException e =
        assertThrows(
            MlflowTrackingException.class, () -> StudyTracking.open(config, settings, Map.of()));
    assertTrue(e.getMessage().contains("http://127.0.0.1:9"), e.getMessage());
  }
}
