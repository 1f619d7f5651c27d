package dev.knobflow.optimizers.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal that cannot be opened says why, rather than repeating its path. */
class JournalOpenErrorsTest {

  @TempDir Path dir;

  @Test
  void aDirectorySaysSo() throws Exception {
    Path journal = Files.createDirectories(dir.resolve("a-folder"));
    StorageException e = assertThrows(StorageException.class, () -> JournalStorage.open(journal));
    assertEquals("cannot open journal " + journal + ": Is a directory", e.getMessage());
  }

  @Test
  void aFolderThatCannotBeCreatedIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Path journal = file.resolve("sub").resolve("j.jsonl");
    StorageException e = assertThrows(StorageException.class, () -> JournalStorage.open(journal));
    String expectedStart = "cannot open journal " + journal + ": ";
    assertEquals(expectedStart, e.getMessage().substring(0, expectedStart.length()));
    String reason = e.getMessage().substring(expectedStart.length());
    assertEquals(false, reason.equals(journal.toString()), "not the path again: " + reason);
    assertEquals(true, reason.contains(file.toString()), "names the blocking path: " + reason);
  }
}
