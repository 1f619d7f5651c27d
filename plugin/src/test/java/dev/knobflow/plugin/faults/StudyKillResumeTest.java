package dev.knobflow.plugin.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kill -9 of a single-process {@code knobflow tune}, then {@code knobflow resume}. */
class StudyKillResumeTest {

  private static final String STUDY = "crash-demo";

  /** A COMPLETE trial as the journal holds it: what must survive unchanged. */
  private record Done(Object x, List<Double> values) {}

  private static List<FrozenTrial> trials(Path journal) {
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return storage.trials(STUDY);
    }
  }

  private static Map<Integer, Done> complete(List<FrozenTrial> trials) {
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE)
        .collect(
            Collectors.toMap(
                FrozenTrial::number,
                t -> new Done(t.params().get("x"), t.values()),
                (a, b) -> a,
                TreeMap::new));
  }

  @Test
  void resumeAfterKillKeepsEveryCompletedTrialAndRunsOnlyWhatIsMissing(@TempDir Path dir)
      throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    Path studyFile = dir.resolve("study.yaml");
    Files.writeString(
        studyFile,
        """
        name: crash-demo
        storage: journal:journal.jsonl
        seed: 11
        objectives: [{name: value, direction: minimize}]
        space:
          x: {type: float, low: -5, high: 5}
        trials: 12
        objective: {class: dev.knobflow.plugin.faults.SlowSquare}
        """);
    try (ChildJvm tune =
        ChildJvm.start(Main.class, dir.resolve("tune.log"), "tune", studyFile.toString())) {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end
          && (!Files.exists(journal) || complete(trials(journal)).size() < 4)) {
        Thread.sleep(10);
      }
      tune.kill();
    }
    Map<Integer, Done> before = complete(trials(journal));
    assertTrue(before.size() >= 4 && before.size() < 12, "killed mid-study: " + before.keySet());

    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int code =
        cli.execute(
            "resume", STUDY, "--storage", "journal:" + journal, "--stale-after", "0s", "-q");
    assertEquals(0, code, out.toString());

    List<FrozenTrial> after = trials(journal);
    Map<Integer, Done> completeAfter = complete(after);
    for (Map.Entry<Integer, Done> e : before.entrySet()) {
      assertEquals(e.getValue(), completeAfter.get(e.getKey()), "trial " + e.getKey() + " kept");
    }
    assertEquals(12, completeAfter.size(), "exactly the 12 trials tune aimed for: " + out);
    assertEquals(
        after.size(), after.stream().map(FrozenTrial::number).distinct().count(), "unique numbers");
    assertTrue(
        after.stream().noneMatch(t -> t.state() == TrialState.RUNNING),
        "the trial the kill interrupted is finished (FAIL), not left RUNNING");
    long failed = after.stream().filter(t -> t.state() == TrialState.FAIL).count();
    assertTrue(failed <= 1, "at most the one interrupted trial failed: " + failed);
    assertEquals(12 + failed, after.size(), "nothing run twice, nothing extra");
  }
}
