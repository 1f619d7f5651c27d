package dev.knobflow.plugin.postgres;

import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.StudyStorageContract;
import dev.knobflow.plugin.testing.PostgresTestServer;
import java.util.Map;

/**
 * The storage contract for the PostgreSQL storage against the real test server: each fresh storage
 * is a new database, and a reopen is a new storage instance (a new pool, as another process would
 * open it) on the same database.
 */
class PostgresStorageContractTest extends StudyStorageContract {

  @Override
  protected StudyStorage createStorage() {
    return PostgresStorage.open(
        PostgresUrl.parse(PostgresTestServer.shared().newDatabase()), Map.of());
  }

  @Override
  protected StudyStorage reopen(StudyStorage storage) {
    PostgresUrl url = ((PostgresStorage) storage).url();
    storage.close();
    return PostgresStorage.open(url, Map.of());
  }

  @Override
  public boolean expectsExactTarget() {
    return true;
  }
}
