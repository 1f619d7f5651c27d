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
import java.util.Set;
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

  /**
   * Runs {@code knobflow tune} (12 trials) in its own JVM and kills it with SIGKILL inside trial 4,
   * after trials 0..3 are COMPLETE.
   */
  private static Path tuneAndKillInsideTrialFour(Path dir) throws Exception {
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
        ChildJvm.start(
            List.of("-Dfaults.hangAtTrial=4"),
            Main.class,
            dir.resolve("tune.log"),
            "tune",
            studyFile.toString())) {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end && !hangingInTrialFour(journal)) {
        Thread.sleep(10);
      }
      tune.kill();
    }
    return journal;
  }

  private static boolean hangingInTrialFour(Path journal) {
    if (!Files.exists(journal)) {
      return false;
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      if (storage.findStudy(STUDY).isEmpty()) {
        return false; // tune has not created it yet
      }
      List<FrozenTrial> trials = storage.trials(STUDY);
      return trials.size() == 5 && trials.get(4).params().containsKey("x");
    }
  }

  private static int resume(Path journal, StringWriter out, String... extra) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    List<String> args =
        new java.util.ArrayList<>(
            List.of("resume", STUDY, "--storage", "journal:" + journal, "--stale-after", "0s"));
    args.addAll(List.of(extra));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void resumeAfterKillKeepsEveryCompletedTrialAndRunsOnlyWhatIsMissing(@TempDir Path dir)
      throws Exception {
    Path journal = tuneAndKillInsideTrialFour(dir);
    List<FrozenTrial> killed = trials(journal);
    Map<Integer, Done> before = complete(killed);
    assertEquals(Set.of(0, 1, 2, 3), before.keySet(), "killed inside trial 4");
    assertEquals(TrialState.RUNNING, killed.get(4).state());

    StringWriter out = new StringWriter();
    assertEquals(0, resume(journal, out, "-q"), out.toString());

    List<FrozenTrial> after = trials(journal);
    Map<Integer, Done> completeAfter = complete(after);
    for (Map.Entry<Integer, Done> e : before.entrySet()) {
      assertEquals(e.getValue(), completeAfter.get(e.getKey()), "trial " + e.getKey() + " kept");
    }
    assertEquals(12, completeAfter.size(), "exactly the 12 trials tune aimed for: " + out);
    assertEquals(
        after.size(), after.stream().map(FrozenTrial::number).distinct().count(), "unique numbers");
    assertEquals(TrialState.FAIL, after.get(4).state(), "the interrupted trial");
    assertEquals(13, after.size(), "12 COMPLETE + the interrupted one; nothing run twice");
  }

  @Test
  void resumeWithRequeueStaleRunsTheInterruptedTrialsParametersAgain(@TempDir Path dir)
      throws Exception {
    Path journal = tuneAndKillInsideTrialFour(dir);
    Object interruptedX = trials(journal).get(4).params().get("x");

    StringWriter out = new StringWriter();
    assertEquals(0, resume(journal, out, "--requeue-stale"), out.toString());
    assertTrue(out.toString().contains("re-queued as trial 5"), out.toString());

    List<FrozenTrial> after = trials(journal);
    assertEquals(TrialState.FAIL, after.get(4).state());
    FrozenTrial repeat = after.get(5);
    assertEquals(4, ((Number) repeat.systemAttrs().get("requeued_from")).intValue());
    assertEquals(TrialState.COMPLETE, repeat.state());
    assertEquals(interruptedX, repeat.params().get("x"));
    assertEquals(12, complete(after).size());
    assertEquals(13, after.size());
  }
}
