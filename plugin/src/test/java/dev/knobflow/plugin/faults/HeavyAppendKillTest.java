package dev.knobflow.plugin.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process appending to the journal as fast as it can (four threads, an instant
 * objective) while another process appends too.
 */
class HeavyAppendKillTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String STUDY = "heavy";

  private static String[] worker(Path journal, int trials) {
    return new String[] {
      "journal=" + journal, "study=" + STUDY, "trials=" + trials, "parallelism=4", "heartbeatMs=50"
    };
  }

  private static Map<Integer, String[]> doneLines(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("DONE "))
        .map(l -> l.split(" "))
        .collect(Collectors.toMap(p -> Integer.parseInt(p[1]), p -> p));
  }

  @Test
  void everyTrialAKilledProcessReportedDoneIsInTheJournal(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    Map<Integer, String[]> victimDone;
    Map<Integer, String[]> survivorDone;
    try (ChildJvm victim =
            ChildJvm.start(
                JournalWorkerProcess.class, dir.resolve("victim.log"), worker(journal, 100_000));
        ChildJvm survivor =
            ChildJvm.start(
                JournalWorkerProcess.class, dir.resolve("survivor.log"), worker(journal, 300))) {
      victim.awaitCount(l -> l.startsWith("DONE "), 150, WAIT);
      victim.kill();
      victimDone = doneLines(victim.lines());
      assertEquals(0, survivor.await(WAIT), "the other writer is unharmed");
      survivorDone = doneLines(survivor.lines());
    }
    assertTrue(victimDone.size() >= 150);
    assertEquals(300, survivorDone.size());

    List<FrozenTrial> trials;
    try (JournalStorage storage = JournalStorage.open(journal)) {
      trials = storage.trials(STUDY);
      assertTrue(storage.skippedLines() <= 1, "at most the torn last line is skipped");
    }
    Map<Integer, FrozenTrial> byNumber =
        trials.stream().collect(Collectors.toMap(FrozenTrial::number, t -> t));
    assertEquals(trials.size(), byNumber.size(), "no trial number was handed out twice");
    for (Map<Integer, String[]> done : List.of(victimDone, survivorDone)) {
      for (Map.Entry<Integer, String[]> e : done.entrySet()) {
        FrozenTrial t = byNumber.get(e.getKey());
        assertTrue(t != null && t.state() == TrialState.COMPLETE, "trial " + e.getKey());
        assertEquals(Double.parseDouble(e.getValue()[2]), (Double) t.params().get("x"));
        assertEquals(Double.parseDouble(e.getValue()[3]), t.values().get(0));
      }
    }
    // At most the four trials the victim had in flight are left RUNNING.
    assertTrue(
        trials.stream().filter(t -> t.state() == TrialState.RUNNING).count() <= 4,
        "RUNNING after the kill");
  }

  @Test
  void aJournalCutInsideItsLastRecordAfterAKillKeepsEverythingBeforeIt(@TempDir Path dir)
      throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    try (ChildJvm victim =
        ChildJvm.start(
            JournalWorkerProcess.class, dir.resolve("victim.log"), worker(journal, 100_000))) {
      victim.awaitCount(l -> l.startsWith("DONE "), 100, WAIT);
      victim.kill();
    }
    // Simulate the kill landing inside a write(): cut the last record in half.
    byte[] bytes = Files.readAllBytes(journal);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--; // a torn tail the kill may already have left
    }
    int lastStart = end - 1;
    while (lastStart > 0 && bytes[lastStart - 1] != '\n') {
      lastStart--;
    }
    Path whole = dir.resolve("whole.jsonl");
    Files.write(whole, Arrays.copyOf(bytes, lastStart));
    Path torn = dir.resolve("torn.jsonl");
    Files.write(torn, Arrays.copyOf(bytes, lastStart + (end - lastStart) / 2));
    assertTrue(new String(Files.readAllBytes(torn), StandardCharsets.UTF_8).lines().count() > 100);

    List<FrozenTrial> expected;
    try (JournalStorage storage = JournalStorage.open(whole)) {
      expected = storage.trials(STUDY);
    }
    try (JournalStorage storage = JournalStorage.open(torn)) {
      assertEquals(expected, storage.trials(STUDY));
      // The next writer finds the torn tail under the lock, skips it and ends it with a newline.
      FrozenTrial next = storage.createTrial(STUDY, TrialState.RUNNING, Map.of());
      assertEquals(expected.size(), next.number());
      assertEquals(1, storage.skippedLines(), "the half record is skipped and reported");
    }
    try (JournalStorage storage = JournalStorage.open(torn)) {
      List<FrozenTrial> reread = storage.trials(STUDY);
      assertEquals(expected, reread.subList(0, expected.size()));
      assertEquals(expected.size() + 1, reread.size(), "a record after the tear stays readable");
    }
    assertTrue(expected.stream().filter(t -> t.state() == TrialState.COMPLETE).count() >= 99);
  }
}
