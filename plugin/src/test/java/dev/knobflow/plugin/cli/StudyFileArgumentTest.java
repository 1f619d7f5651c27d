package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that takes a study's NAME also takes its study file, from another working
 * directory: the tests run in the module's directory while the study file, its journal (a path
 * relative to the file) and the objective's data file live in a temporary project directory.
 */
class StudyFileArgumentTest {

  /** Reads data.txt relative to its working directory: fails unless run in the project dir. */
  private static final String SCRIPT =
      """
      #!/bin/bash
      factor=$(cat data.txt) || exit 4
      echo "{\\"score\\": $(($1 * factor))}"
      """;

  private static final String STUDY =
      """
      name: paths
      storage: journal:runs/journal.jsonl
      objectives: [{name: score, direction: maximize}]
      space:
        x: {type: int, low: 1, high: 9}
      seed: 3
      sampler: {type: random}
      trials: 3
      objective:
        command: [bash, objective.sh, "{x}"]
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path project;

  private Path studyFile;

  @BeforeEach
  void tuneInTheProject() throws Exception {
    Files.writeString(project.resolve("objective.sh"), SCRIPT);
    Files.writeString(project.resolve("data.txt"), "7\n");
    studyFile = project.resolve("study.yaml");
    Files.writeString(studyFile, STUDY);
    assertFalse(
        Files.exists(Path.of("data.txt")), "the test's working directory must not hold data.txt");
    CliRun tune = cli("tune", studyFile.toString(), "--quiet");
    assertEquals(0, tune.exit(), tune.out() + tune.err());
  }

  /** The study's trials, read with {@code show STUDY.yaml --format json}. */
  private JsonNode trials() throws Exception {
    CliRun show = cli("show", studyFile.toString(), "--format", "json");
    assertEquals(0, show.exit(), show.out() + show.err());
    return JSON.readTree(show.out()).get("trials");
  }

  private static void assertAllCompleteWithTheProjectsData(JsonNode trials, int count) {
    assertEquals(count, trials.size(), trials.toString());
    for (JsonNode t : trials) {
      assertEquals("COMPLETE", t.get("state").asText(), t.toString());
      int x = t.at("/params/x").asInt();
      assertEquals(7.0 * x, t.at("/values/score").asDouble(), t.toString());
    }
  }

  @Test
  void showReadsTheJournalNextToTheStudyFile() {
    CliRun show = cli("show", studyFile.toString());
    assertEquals(0, show.exit(), show.out() + show.err());
    assertTrue(show.out().contains("Study:      paths"), show.out());
    assertTrue(
        show.out().contains(project.resolve("runs/journal.jsonl").toAbsolutePath().toString()),
        show.out());
  }

  @Test
  void importanceTakesTheStudyFile() {
    CliRun importance = cli("importance", studyFile.toString());
    assertEquals(0, importance.exit(), importance.out() + importance.err());
    assertTrue(importance.out().contains("x"), importance.out());
    assertTrue(importance.out().contains("3 completed trials"), importance.out());
  }

  @Test
  void reportTakesTheStudyFile() {
    Path out = project.resolve("report");
    CliRun report = cli("report", studyFile.toString(), "--out", out.toString(), "--no-mlflow");
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains("Report of study 'paths' (3 trials)"), report.out());
    assertTrue(Files.isRegularFile(out.resolve("summary.md")));
  }

  @Test
  void workerRunsTheObjectiveInTheStudyFilesDirectory() throws Exception {
    CliRun worker = cli("worker", studyFile.toString(), "--trials", "2", "--quiet");
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    assertAllCompleteWithTheProjectsData(trials(), 5);
  }

  @Test
  void resumeRunsTheObjectiveInTheStudyFilesDirectory() throws Exception {
    CliRun resume = cli("resume", studyFile.toString(), "--trials", "1", "--quiet");
    assertEquals(0, resume.exit(), resume.out() + resume.err());
    assertAllCompleteWithTheProjectsData(trials(), 4);
  }

  @Test
  void byNameTheJoinersStillNeedStorageAndRunInTheGivenDir() throws Exception {
    String storage = "journal:" + project.resolve("runs/journal.jsonl");
    CliRun noStorage = cli("worker", "paths");
    assertEquals(2, noStorage.exit(), noStorage.err());
    assertTrue(noStorage.err().contains("give --storage"), noStorage.err());
    CliRun worker =
        cli("worker", "paths", "--storage", storage, "--dir", project.toString(), "--trials", "1");
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    assertAllCompleteWithTheProjectsData(trials(), 4);
  }

  @Test
  void byNameWithoutDirTheJoinersRunInTheDirectoryTuneStored() throws Exception {
    String storage = "journal:" + project.resolve("runs/journal.jsonl");
    CliRun resume = cli("resume", "paths", "--storage", storage, "--trials", "2", "--quiet");
    assertEquals(0, resume.exit(), resume.out() + resume.err());
    CliRun worker = cli("worker", "paths", "--storage", storage, "--trials", "1", "--quiet");
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    assertAllCompleteWithTheProjectsData(trials(), 6);
  }

  @Test
  void aStudyFileNotTunedYetNamesItsJournal() throws Exception {
    Path other = project.resolve("other");
    Files.createDirectories(other);
    Path fresh = Files.writeString(other.resolve("study.yml"), STUDY);
    CliRun show = cli("show", fresh.toString());
    assertEquals(2, show.exit(), show.out() + show.err());
    assertTrue(show.err().contains("no journal at " + other.resolve("runs")), show.err());
    assertTrue(show.err().contains("knobflow tune"), show.err());
  }

  @Test
  void theStudyFileAndConfigTogetherAreRefused() {
    CliRun report = cli("report", studyFile.toString(), "--config", studyFile.toString());
    assertEquals(2, report.exit(), report.err());
    assertTrue(report.err().contains("not both"), report.err());
  }
}
