package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-directory checkpoint store: in place under its root, copied in from elsewhere. */
class DirectoryCheckpointStoreTest {

  @TempDir Path dir;

  @Test
  void aCheckpointWrittenOutsideTheRootIsCopiedInRecordedAndDeletedOnlyThere() throws Exception {
    DirectoryCheckpointStore store = DirectoryCheckpointStore.under(dir.resolve("shared"));
    Path outside = Files.createDirectories(dir.resolve("scratch/out"));
    Files.writeString(outside.resolve("state.txt"), "step 5");
    List<Optional<Path>> restored = new ArrayList<>();
    Study study =
        Study.builder("pbt study")
            .storage(InMemoryStorage.create())
            .objectives(Objective.maximize("q"))
            .build();
    study.optimize(
        trial -> {
          restored.add(store.restore(trial, dir.resolve("unused")));
          store.save(trial, outside);
          restored.add(store.restore(trial, dir.resolve("unused")));
          return TrialResult.of(1);
        },
        OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    Path kept =
        dir.resolve("shared")
            .resolve(CheckpointDirectories.safeName("pbt study"))
            .resolve("trial-0");
    assertEquals(kept.toString(), t.systemAttrs().get(Checkpoint.PATH_ATTR));
    assertEquals("step 5", Files.readString(kept.resolve("state.txt")));
    assertEquals(List.of(Optional.empty(), Optional.of(kept)), restored);
    assertTrue(store.delete(t));
    assertFalse(Files.exists(kept));
    assertFalse(store.delete(t), "gone already");

    // A path outside the root is never deleted.
    Study other =
        Study.builder("c")
            .storage(InMemoryStorage.create())
            .objectives(Objective.maximize("q"))
            .build();
    other.optimize(
        trial -> {
          trial.checkpoint().saveFile(outside);
          return TrialResult.of(1);
        },
        OptimizeOptions.trials(1));
    assertFalse(store.delete(other.trials().get(0)));
    assertTrue(Files.exists(outside.resolve("state.txt")));
  }
}
