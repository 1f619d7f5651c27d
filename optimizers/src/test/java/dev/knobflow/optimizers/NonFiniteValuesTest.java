package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Non-finite objective and constraint values fail the trial, whatever path they take. */
class NonFiniteValuesTest {

  @TempDir Path dir;

  private static Study study() {
    return Study.builder("s")
        .objectives(Objective.minimize("loss"))
        .storage(InMemoryStorage.create())
        .sampler(RandomSampler.seeded(1))
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e309", "-1e309"})
  void tellFailsTheTrialNamingTheValue(String text) {
    double value = Double.parseDouble(text);
    Study study = study();
    Trial trial = study.ask();
    FrozenTrial done = study.tell(trial, TrialResult.of(value));
    assertEquals(TrialState.FAIL, done.state());
    assertTrue(
        done.failReason().contains("objective 'loss' is " + value),
        "names the objective and the value: " + done.failReason());
    assertTrue(done.values().isEmpty());
    assertTrue(study.bestTrial().isEmpty(), "a non-finite value never becomes the best trial");
    assertTrue(study.paretoFront().isEmpty());
  }

  @Test
  void namedResultsAreCheckedToo() {
    Study study = study();
    FrozenTrial done =
        study.tell(study.ask(), TrialResult.ofNamed(Map.of("loss", Double.NEGATIVE_INFINITY)));
    assertEquals(TrialState.FAIL, done.state());
    assertTrue(done.failReason().contains("'loss' is -Infinity"), done.failReason());
  }

  @Test
  void nonFiniteConstraintFailsTheTrial() {
    Study study = study();
    FrozenTrial done =
        study.tell(study.ask(), TrialResult.of(1.0).withConstraints(Double.POSITIVE_INFINITY));
    assertEquals(TrialState.FAIL, done.state());
    assertTrue(done.failReason().contains("constraint 1 is Infinity"), done.failReason());
  }

  @Test
  void optimizeFailsTrialsWithInfiniteValuesAndKeepsFiniteOnes() {
    Study study = study();
    OptimizeSummary summary =
        study.optimize(
            t -> {
              double x = t.suggestFloat("x", 0, 1);
              return TrialResult.of(t.number() % 2 == 0 ? Double.NEGATIVE_INFINITY : x);
            },
            OptimizeOptions.trials(6));
    assertEquals(3, summary.trialsByState().get(TrialState.FAIL));
    assertEquals(3, summary.trialsByState().get(TrialState.COMPLETE));
    assertTrue(Double.isFinite(study.bestTrial().orElseThrow().value()));
  }

  @Test
  void journalReplayDoesNotResurrectAnInfiniteValueWrittenByAnOlderVersion() throws Exception {
    Path journal = dir.resolve("j.jsonl");
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study study =
          Study.builder("s")
              .objectives(Objective.minimize("loss"))
              .storage(storage)
              .sampler(RandomSampler.seeded(1))
              .build();
      study.tell(study.ask(), TrialResult.of(0.25));
      study.tell(study.ask(), TrialResult.of(0.5).withConstraints(-1.0));
    }
    String text = Files.readString(journal);
    assertTrue(text.contains("\"values\":[0.25]") && text.contains("\"constraints\":[-1.0]"));
    // What an older Knobflow wrote for {"loss": "-Infinity"} and an infinite constraint.
    Files.writeString(
        journal,
        text.replace("\"values\":[0.25]", "\"values\":[\"-Infinity\"]")
            .replace("\"constraints\":[-1.0]", "\"constraints\":[\"Infinity\"]"));
    try (JournalStorage reopened = JournalStorage.open(journal)) {
      List<FrozenTrial> trials = reopened.trials("s");
      assertEquals(TrialState.FAIL, trials.get(0).state());
      assertTrue(trials.get(0).failReason().contains("-Infinity"), trials.get(0).failReason());
      assertEquals(TrialState.FAIL, trials.get(1).state());
      assertTrue(
          trials.get(1).failReason().contains("constraint value 1 is Infinity"),
          trials.get(1).failReason());
    }
  }
}
