package dev.knobflow.optimizers.storage;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract for the journal file: a reopen closes the file and replays it. */
class JournalStorageContractTest extends StudyStorageContract {

  @TempDir Path dir;

  private final Map<StudyStorage, Path> paths = new IdentityHashMap<>();
  private int files;

  @Override
  protected StudyStorage createStorage() {
    Path path = dir.resolve("journal-" + files++ + ".jsonl");
    JournalStorage storage = JournalStorage.open(path);
    paths.put(storage, path);
    return storage;
  }

  @Override
  protected StudyStorage reopen(StudyStorage storage) {
    Path path = paths.get(storage);
    storage.close();
    JournalStorage again = JournalStorage.open(path);
    paths.put(again, path);
    return again;
  }

  @Override
  public boolean expectsExactTarget() {
    return true;
  }
}
