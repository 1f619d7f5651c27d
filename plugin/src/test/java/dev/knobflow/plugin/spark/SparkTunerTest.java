package dev.knobflow.plugin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.config.StudyFileException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** SparkTuner in {@code local[2]}: two Spark tasks as workers of one journal study. */
@Tag("spark")
class SparkTunerTest {

  private static JavaSparkContext spark;

  @BeforeAll
  static void startSpark() {
    spark =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[2]")
                .setAppName("knobflow-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path studyFile(Path dir, String storage) throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.writeString(
        file,
        """
        name: spark-demo
        storage: %s
        seed: 7
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: float, low: -5, high: 5}
        trials: 12
        objective: {class: dev.knobflow.plugin.spark.QuadraticObjective}
        """
            .formatted(storage));
    return file;
  }

  private static List<FrozenTrial> journalTrials(Path journal) {
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return storage.trials("spark-demo");
    }
  }

  @Test
  void twoSparkTasksShareOneJournalStudyWithUniqueTrialNumbers(@TempDir Path dir) throws Exception {
    SparkTuneResult result =
        SparkTuner.builder()
            .studyFile(studyFile(dir, "journal:journal.jsonl"))
            .workers(2)
            .trialsPerWorker(6)
            .build()
            .run(spark);

    assertEquals(2, result.workers().size());
    assertEquals(
        Set.of(0, 1),
        result.workers().stream().map(WorkerReport::worker).collect(Collectors.toSet()));
    for (WorkerReport w : result.workers()) {
      assertEquals(6, w.trialNumbers().size(), "worker " + w.worker() + " ran its share");
      assertEquals(6, w.completed());
    }
    Set<Integer> byWorkers = new HashSet<>();
    result.workers().forEach(w -> byWorkers.addAll(w.trialNumbers()));
    assertEquals(12, byWorkers.size(), "no trial number was handed to both workers");

    List<FrozenTrial> stored = journalTrials(dir.resolve("journal.jsonl"));
    assertEquals(12, stored.size());
    Set<Integer> expected = IntStream.range(0, 12).boxed().collect(Collectors.toSet());
    Set<Integer> numbers = stored.stream().map(FrozenTrial::number).collect(Collectors.toSet());
    assertEquals(expected, numbers);
    assertTrue(stored.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
    assertEquals(byWorkers, numbers);
  }

  @Test
  void mainClassRunsTheFilesTrialsDividedAmongWorkers(@TempDir Path dir) throws Exception {
    Path file = studyFile(dir, "journal:journal.jsonl");
    StringWriter out = new StringWriter();
    CommandLine cl = SparkTunerMain.commandLine(conf -> spark, false);
    cl.setOut(new PrintWriter(out));

    int code = cl.execute(file.toString(), "--workers", "2");

    assertEquals(0, code, out.toString());
    assertTrue(out.toString().contains("12 trials COMPLETE in this run"), out.toString());
    assertEquals(12, journalTrials(dir.resolve("journal.jsonl")).size());
  }

  @Test
  void memoryStorageIsRefusedOnTheDriver(@TempDir Path dir) throws Exception {
    Path file = studyFile(dir, "memory");
    StudyFileException e =
        assertThrows(StudyFileException.class, () -> SparkTuner.builder().studyFile(file).build());
    assertTrue(e.getMessage().contains("storage"), e.getMessage());
    assertTrue(e.getMessage().contains("shared file system"), e.getMessage());
  }

  @Test
  void mainClassReportsABadStudyFileWithExitCodeTwo(@TempDir Path dir) throws Exception {
    Path file = studyFile(dir, "memory");
    StringWriter err = new StringWriter();
    CommandLine cl = SparkTunerMain.commandLine(conf -> spark, false);
    cl.setErr(new PrintWriter(err));

    assertEquals(2, cl.execute(file.toString(), "--workers", "2"));
    assertTrue(err.toString().contains("storage"), err.toString());
  }
}
