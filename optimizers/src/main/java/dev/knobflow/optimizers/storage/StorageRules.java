package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.distributions.Distribution;
import org.jspecify.annotations.Nullable;

/** The consistency rules every {@link StudyStorage} enforces, in one place. */
public final class StorageRules {

  private StorageRules() {}

  /**
   * A parameter keeps the distribution it was first suggested with within a trial.
   *
   * @param known the distribution already recorded for the parameter, or {@code null}
   * @throws IllegalArgumentException if {@code known} differs from {@code requested}
   */
  public static void requireSameDistribution(
      int trialNumber, String name, @Nullable Distribution known, Distribution requested) {
    if (known != null && !known.equals(requested)) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' of trial "
              + trialNumber
              + " was suggested with "
              + known
              + " and cannot change to "
              + requested);
    }
  }
}
