package dev.knobflow.optimizers.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.samplers.RandomSampler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStorageTest {

  @TempDir Path dir;

  private Study study(Path journal) {
    return Study.builder("s")
        .objectives(Objective.maximize("acc"), Objective.minimize("lat"))
        .storage(JournalStorage.open(journal))
        .sampler(RandomSampler.seeded(3))
        .build();
  }

  private static ObjectiveFunction objective() {
    return t -> {
      double x = t.suggestFloat("x", 1e-3, 1, true);
      long n = t.suggestInt("n", 1, 9);
      String c = t.suggestCategorical("c", "a", "b");
      t.report(0, x, n);
      t.setUserAttr("note", Map.of("c", c));
      return TrialResult.of(x, n).withMetrics(Map.of("extra", 7.0)).withConstraints(-1);
    };
  }

  @Test
  void reopeningReplaysEveryTrialExactly() {
    Path journal = dir.resolve("j.jsonl");
    Study first = study(journal);
    first.optimize(objective(), OptimizeOptions.trials(20));
    List<FrozenTrial> before = first.trials();
    first.storage().close();
    Study reopened = study(journal);
    List<FrozenTrial> after = reopened.trials();
    assertEquals(20, after.size());
    for (int i = 0; i < 20; i++) {
      FrozenTrial a = before.get(i);
      FrozenTrial b = after.get(i);
      assertEquals(a.params(), b.params());
      assertEquals(a.distributions(), b.distributions());
      assertEquals(a.values(), b.values());
      assertEquals(a.intermediateValues(), b.intermediateValues());
      assertEquals(a.metrics(), b.metrics());
      assertEquals(a.constraints(), b.constraints());
      assertEquals(a.userAttrs(), b.userAttrs());
      assertEquals(a.state(), b.state());
    }
  }

  @Test
  void tornLastLineIsSkippedReportedAndLaterRecordsStayReadable() throws IOException {
    Path journal = dir.resolve("torn.jsonl");
    Study study = study(journal);
    study.optimize(objective(), OptimizeOptions.trials(5));
    study.storage().close();
    // A crash in the middle of a write leaves half a record with no newline.
    Files.writeString(
        journal, "{\"op\":\"finish\",\"study\":\"s\",\"tri", StandardOpenOption.APPEND);

    JournalStorage reopened = JournalStorage.open(journal);
    assertEquals(5, reopened.trials("s").size());
    Study resumed = Study.builder("s").storage(reopened).sampler(RandomSampler.seeded(4)).build();
    resumed.optimize(objective(), OptimizeOptions.trials(3));
    assertEquals(1, reopened.skippedLines(), "the torn line is reported once");
    reopened.close();

    JournalStorage again = JournalStorage.open(journal);
    assertEquals(8, again.trials("s").size());
    assertTrue(
        again.trials("s").stream().allMatch(t -> t.state() == TrialState.COMPLETE),
        "everything before and after the torn line survives");
    assertEquals(1, again.skippedLines());
  }

  @Test
  void truncatedMidRecordKeepsEverythingBeforeIt() throws IOException {
    Path journal = dir.resolve("cut.jsonl");
    Study study = study(journal);
    study.optimize(objective(), OptimizeOptions.trials(6));
    study.storage().close();
    byte[] bytes = Files.readAllBytes(journal);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int lastFinish = text.lastIndexOf("{\"op\":\"finish\"");
    Files.write(journal, java.util.Arrays.copyOf(bytes, lastFinish + 20));
    JournalStorage reopened = JournalStorage.open(journal);
    List<FrozenTrial> trials = reopened.trials("s");
    assertEquals(6, trials.size());
    assertEquals(5, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
    assertEquals(TrialState.RUNNING, trials.get(5).state());
  }

  @Test
  void finishedTrialsCannotBeFinishedAgainEvenFromAnotherInstance() {
    Path journal = dir.resolve("twice.jsonl");
    JournalStorage a = JournalStorage.open(journal);
    JournalStorage b = JournalStorage.open(journal);
    a.createStudy("s", List.of(Objective.minimize("v")));
    FrozenTrial t = a.createTrial("s", TrialState.RUNNING, Map.of());
    a.finishTrial(
        "s", t.number(), TrialOutcome.complete(List.of(1.0), List.of(), Map.of(), Instant.now()));
    assertThrows(
        TrialAlreadyFinishedException.class,
        () ->
            b.finishTrial(
                "s",
                t.number(),
                TrialOutcome.complete(List.of(2.0), List.of(), Map.of(), Instant.now())));
    assertEquals(List.of(1.0), b.trial("s", 0).values());
  }

  @Test
  void distributionsAndValuesRoundTrip() {
    Path journal = dir.resolve("dist.jsonl");
    JournalStorage a = JournalStorage.open(journal);
    a.createStudy("s", List.of(Objective.minimize("v")));
    a.createTrial("s", TrialState.RUNNING, Map.of());
    a.setParam("s", 0, "f", FloatDistribution.stepped(0, 1, 0.25), 0.5);
    a.setParam("s", 0, "i", IntDistribution.logOf(1, 64), 8L);
    a.setParam("s", 0, "c", CategoricalDistribution.of("x", 2, true), true);
    a.reportIntermediate("s", 0, 3, List.of(Double.NaN));
    a.close();
    FrozenTrial t = JournalStorage.open(journal).trial("s", 0);
    assertEquals(FloatDistribution.stepped(0, 1, 0.25), t.distributions().get("f"));
    assertEquals(IntDistribution.logOf(1, 64), t.distributions().get("i"));
    assertEquals(CategoricalDistribution.of("x", 2, true), t.distributions().get("c"));
    assertEquals(Map.of("f", 0.5, "i", 8L, "c", true), t.params());
    assertTrue(t.intermediateValues().get(3L).get(0).isNaN());
  }

  @Test
  void twoProcessesAppendingAtOnceLoseNothingAndNeverShareANumber() throws Exception {
    Path journal = dir.resolve("shared.jsonl");
    String classpath = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int worker = 0; worker < 2; worker++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  classpath,
                  JournalWorkerMain.class.getName(),
                  journal.toString(),
                  "150",
                  String.valueOf(worker))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("worker" + worker + ".log").toFile())
              .start());
    }
    for (Process p : processes) {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "worker finished");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("worker0.log")));
    }
    JournalStorage storage = JournalStorage.open(journal);
    List<FrozenTrial> trials = storage.trials("shared");
    assertEquals(300, trials.size());
    assertEquals(300, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
    assertEquals(0, storage.skippedLines());
    for (int i = 0; i < trials.size(); i++) {
      assertEquals(i, trials.get(i).number());
    }
    long fromWorker0 = trials.stream().filter(t -> t.userAttrs().get("worker").equals(0L)).count();
    assertEquals(150, fromWorker0);
  }

  /** A separate JVM that appends trials to a shared journal. */
  public static final class JournalWorkerMain {
    public static void main(String[] args) {
      Path journal = Path.of(args[0]);
      int trials = Integer.parseInt(args[1]);
      int worker = Integer.parseInt(args[2]);
      Study study =
          Study.builder("shared")
              .storage(JournalStorage.open(journal))
              .sampler(RandomSampler.seeded(worker))
              .build();
      study.optimize(
          ObjectiveFunction.scalar(
              t -> {
                t.setUserAttr("worker", worker);
                return t.suggestFloat("x", 0, 1);
              }),
          OptimizeOptions.trials(trials));
    }
  }
}
