package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.storage.JournalStorage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @Test
  void bytesAndFilesRoundTripThroughTheJournal(@TempDir Path dir) {
    Path journal = dir.resolve("j.jsonl");
    byte[] payload = new byte[4096];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study study = Study.builder("ckpt").storage(storage).build();
      Trial t = study.ask();
      t.checkpoint().save(payload);
      t.checkpoint().saveFile(Path.of("model.bin"));
      study.tell(t, TrialResult.of(1));
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study reopened = Study.builder("ckpt").storage(storage).build();
      reopened.enqueue(Map.of());
      Trial child = reopened.ask();
      storage.setSystemAttr("ckpt", child.number(), Checkpoint.PARENT_ATTR, 0);
      assertArrayEquals(payload, child.checkpoint().load().orElseThrow());
      assertEquals(
          Path.of("model.bin").toAbsolutePath(), child.checkpoint().loadFile().orElseThrow());
      assertEquals(0, child.checkpoint().parent().getAsInt());
      child.checkpoint().save(new byte[] {1, 2, 3});
      assertArrayEquals(new byte[] {1, 2, 3}, child.checkpoint().load().orElseThrow(), "own first");
    }
  }

  @Test
  void aTrialWithoutCheckpointOrParentLoadsNothing() {
    Study study = Study.builder("none").build();
    Trial t = study.ask();
    assertTrue(t.checkpoint().load().isEmpty());
    assertTrue(t.checkpoint().loadFile().isEmpty());
    assertTrue(t.checkpoint().parent().isEmpty());
  }

  @Test
  void oversizedPayloadsAreRefusedWithTheLimitAndTheAlternative() {
    Trial t = Study.builder("big").build().ask();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> t.checkpoint().save(new byte[Checkpoint.MAX_BYTES + 1]));
    assertTrue(e.getMessage().contains(String.valueOf(Checkpoint.MAX_BYTES)));
    assertTrue(e.getMessage().contains("saveFile"));
  }
}
