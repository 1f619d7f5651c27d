package dev.knobflow.plugin.faults;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.testing.PbtToy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a {@code knobflow tune} running population-based training with a command objective,
 * then {@code knobflow resume}: the members' schedules and lineage survive and the study reaches
 * its target.
 */
class PbtKillResumeTest {

  private static final String STUDY = "pbt-crash";
  private static final int POPULATION = 4;
  private static final int INTERVAL = 5;
  private static final int TRIALS = 24;

  /** What a completed segment must keep through the kill and the resume. */
  private record Segment(
      Map<String, Object> params, Map<String, Object> pbt, Object parent, List<Double> values) {
    static Segment of(FrozenTrial t) {
      Map<String, Object> pbt = new TreeMap<>();
      t.systemAttrs()
          .forEach(
              (k, v) -> {
                if (k.startsWith("pbt.")) {
                  pbt.put(k, v);
                }
              });
      return new Segment(t.params(), pbt, t.systemAttrs().get(Checkpoint.PARENT_ATTR), t.values());
    }
  }

  private static List<FrozenTrial> trials(Path journal) {
    if (!Files.exists(journal)) {
      return List.of();
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return storage.findStudy(STUDY).isEmpty() ? List.of() : storage.trials(STUDY);
    }
  }

  private static Map<Integer, Segment> complete(List<FrozenTrial> trials) {
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE)
        .collect(Collectors.toMap(FrozenTrial::number, Segment::of, (a, b) -> a, TreeMap::new));
  }

  @Test
  void schedulesAndLineageSurviveAKillAndTheResumedStudyReachesItsTarget(@TempDir Path dir)
      throws Exception {
    Path studyFile =
        PbtToy.study(STUDY).pbt(POPULATION, INTERVAL).trials(TRIALS).parallelism(2).writeTo(dir);
    Path journal = dir.resolve("journal.jsonl");

    // Killed once two generations and an exploit are stored, mid-study.
    try (ChildJvm tune =
        ChildJvm.start(Main.class, dir.resolve("tune.log"), "tune", studyFile.toString())) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> complete(trials(journal)).size() >= 2 * POPULATION + 1);
      tune.kill();
    }
    List<FrozenTrial> killed = trials(journal);
    Map<Integer, Segment> before = complete(killed);
    assertTrue(before.size() < TRIALS, "killed mid-study: " + before.size() + " complete");

    CliRun resume =
        cli(
            "resume",
            STUDY,
            "--storage",
            "journal:" + journal,
            "--dir",
            dir.toString(),
            "--stale-after",
            "0s",
            "-q");
    assertEquals(
        0,
        resume.exit(),
        resume.out()
            + resume.err()
            + trials(journal).stream()
                .filter(t -> t.state() == TrialState.FAIL)
                .map(t -> "\ntrial " + t.number() + ": " + t.failReason())
                .toList());

    List<FrozenTrial> after = trials(journal);
    Map<Integer, Segment> completeAfter = complete(after);
    before.forEach(
        (n, s) -> assertEquals(s, completeAfter.get(n), "trial " + n + " kept as it was"));
    assertEquals(TRIALS, completeAfter.size(), "the study reaches its target: " + resume.out());
    assertEquals(
        after.size(), after.stream().map(FrozenTrial::number).distinct().count(), "unique numbers");

    // Every member's schedule is an unbroken chain of generations, each segment training one
    // interval beyond the checkpoint it continues, across the kill.
    Map<Integer, FrozenTrial> byNumber =
        after.stream().collect(Collectors.toMap(FrozenTrial::number, t -> t));
    Map<Integer, Integer> segmentsPerMember = new HashMap<>();
    StudyView stored = PbtToy.view(STUDY, after);
    {
      for (int member = 0; member < POPULATION; member++) {
        List<Map<String, Object>> schedule = PbtScheduler.schedule(stored, member);
        segmentsPerMember.put(member, schedule.size());
        for (int i = 0; i < schedule.size(); i++) {
          Map<String, Object> entry = schedule.get(i);
          FrozenTrial t = byNumber.get(((Number) entry.get("trial")).intValue());
          assertEquals(TrialState.COMPLETE, t.state(), "member " + member + " segment " + i);
          assertEquals(i, ((Number) entry.get("generation")).intValue(), "member " + member);
          // One interval beyond the checkpoint it started from (its own member's previous
          // segment, or the member it exploited: in async mode possibly a later generation).
          Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
          double start = 0;
          if (parent != null) {
            FrozenTrial from = byNumber.get(((Number) parent).intValue());
            assertEquals(TrialState.COMPLETE, from.state(), "trial " + t.number() + "'s parent");
            start = from.metrics().get("reached");
          } else {
            assertEquals(0, i, "only a member's first segment starts from scratch");
          }
          assertEquals(start + INTERVAL, t.metrics().get("reached"), "trial " + t.number());
          assertEquals(
              start + INTERVAL,
              ((Number) entry.get("budget")).doubleValue(),
              "trial " + t.number() + "'s budget");
        }
      }
    }
    int killedAt = killed.size();
    List<String> spares =
        after.stream()
            .filter(t -> t.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR))
            .map(
                t ->
                    t.number()
                        + (t.number() < killedAt ? " (before the kill)" : " (resumed)")
                        + " claim "
                        + t.systemAttrs().get(PbtScheduler.CLAIM_ATTR))
            .toList();
    assertEquals(
        TRIALS,
        segmentsPerMember.values().stream().mapToInt(Integer::intValue).sum(),
        "every completed segment is in one member's schedule: "
            + segmentsPerMember
            + "; killed with "
            + killedAt
            + " trials; spares "
            + spares);

    // show --format json: every segment names its member, lineage points at its parent.
    CliRun show = cli("show", STUDY, "--storage", "journal:" + journal, "--format", "json");
    assertEquals(0, show.exit(), show.err());
    int lineages = PbtToy.assertShowLineage(show.out(), byNumber);
    assertTrue(lineages >= 1, "some member exploited another");
  }
}
