package dev.knobflow.optimizers.storage;

/** The storage contract for the in-memory storage; "reopening" it returns the same instance. */
class InMemoryStorageContractTest extends StudyStorageContract {

  @Override
  protected StudyStorage createStorage() {
    return InMemoryStorage.create();
  }

  @Override
  protected StudyStorage reopen(StudyStorage storage) {
    return storage;
  }

  @Override
  public boolean expectsExactTarget() {
    return true;
  }
}
