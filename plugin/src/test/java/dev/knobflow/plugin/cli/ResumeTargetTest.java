package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.TrialOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resume} reaches the trial target however many trials crashes or Ctrl-C failed. */
class ResumeTargetTest {

  @TempDir Path dir;

  private static final String STUDY =
      """
      name: target
      storage: journal:journal.jsonl
      seed: 3
      objectives: [{name: loss, direction: minimize}]
      space: {x: {type: float, low: -5, high: 5}}
      trials: 4
      objective: {class: dev.knobflow.plugin.objective.QuadraticObjective}
      """;

  @Test
  void trialsFailedAsStaleOrInterruptedDoNotCountButGenuineFailuresDo() throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, STUDY);
    CliRun tune = cli("tune", file.toString(), "-q");
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    Path journal = dir.resolve("journal.jsonl");
    Instant longAgo = Instant.now().minus(Duration.ofHours(1));
    try (JournalStorage storage = JournalStorage.open(journal)) {
      // What crashes left of a tune that aimed for 9: 4 COMPLETE, two trials failed as stale by
      // earlier resumes, one failed by Ctrl-C, one failed on its own, one still RUNNING.
      storage.setStudyAttr("target", StudyDefinitions.TRIALS_TARGET, 9);
      fail(storage, TrialOutcome.failed("stale: no heartbeat since " + longAgo, longAgo));
      fail(storage, TrialOutcome.failed("stale: no heartbeat since " + longAgo, longAgo));
      fail(storage, TrialOutcome.failed(InterruptHook.REASON, longAgo));
      fail(storage, TrialOutcome.failed("ObjectiveCommandException: exited with code 3", longAgo));
      storage.createTrial("target", TrialState.RUNNING, Map.of());
    }

    CliRun resume =
        cli("resume", "target", "--storage", "journal:" + journal, "--stale-after", "0s");
    assertEquals(0, resume.exit(), resume.out() + resume.err());
    // 9 - (4 COMPLETE + 1 genuine FAIL) = 4 to run.
    assertTrue(resume.out().contains("Resuming study 'target' (4 trials"), resume.out());
    for (int i = 1; i <= 4; i++) {
      assertTrue(resume.out().contains("[" + i + "/4] trial "), "per-trial lines: " + resume.out());
    }
    assertTrue(resume.out().contains("Done: 4 trials"), resume.out());
    assertTrue(resume.out().contains("Best trial "), "the same summary as tune: " + resume.out());
    assertTrue(resume.out().contains("Show it: knobflow show target --storage journal:"));

    try (JournalStorage storage = JournalStorage.open(journal)) {
      List<FrozenTrial> trials = storage.trials("target");
      assertEquals(9, trials.stream().filter(TrialTarget::counts).count());
      assertEquals(8, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
      FrozenTrial wasRunning = trials.get(8);
      assertEquals(TrialState.FAIL, wasRunning.state());
      assertTrue(wasRunning.failReason().startsWith(TrialTarget.STALE_REASON_PREFIX));
    }

    CliRun again = cli("resume", "target", "--storage", "journal:" + journal);
    assertEquals(0, again.exit(), again.out() + again.err());
    assertTrue(again.out().contains("nothing to run"), again.out());
  }

  private static void fail(JournalStorage storage, TrialOutcome outcome) {
    FrozenTrial t = storage.createTrial("target", TrialState.RUNNING, Map.of());
    storage.finishTrial("target", t.number(), outcome);
  }
}
