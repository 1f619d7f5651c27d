package dev.knobflow.optimizers.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The storages built on StudyState re-snapshot a trial after each change, sharing the maps that did
 * not change: an earlier snapshot never sees a later change, a later one sees all of them.
 */
class TrialSnapshotsTest {

  @TempDir static Path dir;

  static Stream<StudyStorage> storages() throws Exception {
    return Stream.of(InMemoryStorage.create(), JournalStorage.open(dir.resolve("snapshots.jsonl")));
  }

  @ParameterizedTest
  @MethodSource("storages")
  void earlierSnapshotsNeverChangeAndLaterOnesSeeEveryChange(StudyStorage storage) {
    storage.createStudy("s", List.of(Objective.minimize("value")));
    int n = storage.createTrial("s", TrialState.RUNNING, Map.of("origin", "test")).number();
    storage.setParam("s", n, "x", FloatDistribution.of(0, 1), 0.25);
    storage.setParam("s", n, "k", IntDistribution.of(1, 8), 3L);
    FrozenTrial running = storage.trial("s", n);
    storage.reportIntermediate("s", n, 0, List.of(0.7));
    FrozenTrial reported = storage.trial("s", n);
    FrozenTrial finished =
        storage.finishTrial(
            "s",
            n,
            TrialOutcome.complete(List.of(0.5), List.of(), Map.of("m", 1.0), Instant.EPOCH));
    storage.setUserAttr("s", n, "note", "after");
    storage.setSystemAttr("s", n, "later", List.of(1, 2));
    FrozenTrial annotated = storage.trial("s", n);

    assertEquals(Map.of(), running.intermediateValues());
    assertEquals(Map.of(0L, List.of(0.7)), reported.intermediateValues());
    assertEquals(Map.of(), finished.userAttrs());
    assertEquals(Map.of("origin", "test"), finished.systemAttrs());
    assertEquals(Map.of("note", "after"), annotated.userAttrs());
    assertEquals(Map.of("origin", "test", "later", List.of(1, 2)), annotated.systemAttrs());
    assertEquals(List.of("x", "k"), List.copyOf(annotated.params().keySet()));
    assertEquals(Map.of("x", 0.25, "k", 3L), annotated.params());
    assertEquals(Map.of(0L, List.of(0.7)), annotated.intermediateValues());
    assertEquals(Map.of("m", 1.0), annotated.metrics());
    // What did not change after the trial finished is shared, not copied again.
    assertSame(finished.params(), annotated.params());
    assertSame(finished.distributions(), annotated.distributions());
    assertSame(finished.metrics(), annotated.metrics());
    assertThrows(UnsupportedOperationException.class, () -> annotated.params().put("y", 1.0));
    assertThrows(
        UnsupportedOperationException.class,
        () -> annotated.params().entrySet().iterator().next().setValue(0.0));
    storage.close();
  }
}
