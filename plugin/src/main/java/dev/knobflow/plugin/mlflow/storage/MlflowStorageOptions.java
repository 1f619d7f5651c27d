package dev.knobflow.plugin.mlflow.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning knobs of {@link MlflowStudyStorage}; {@link #defaults()} suits most studies.
 *
 * @param readStaleness how old the cached view of other workers' trials may be before a read asks
 *     the server again (this process's own writes are always visible at once)
 * @param fullRefreshInterval how often a read re-lists every trial instead of only those past the
 *     settled window (the unfinished ones and those that finished after the oldest unfinished one)
 * @param writeHold how long the writes of a trial this process runs (params, intermediate values,
 *     attributes) may be held back so that they reach the server together with the trial's finish,
 *     in one request; older ones are sent in the background ({@link Duration#ZERO}: at once)
 * @param flushTimeout how long a write that must be visible to other workers may wait for the
 *     server
 * @param outageTolerance how long synchronous calls keep retrying while the server is unreachable
 */
public record MlflowStorageOptions(
    Duration readStaleness,
    Duration fullRefreshInterval,
    Duration writeHold,
    Duration flushTimeout,
    Duration outageTolerance) {

  public MlflowStorageOptions {
    Objects.requireNonNull(readStaleness, "readStaleness");
    Objects.requireNonNull(fullRefreshInterval, "fullRefreshInterval");
    Objects.requireNonNull(writeHold, "writeHold");
    Objects.requireNonNull(flushTimeout, "flushTimeout");
    Objects.requireNonNull(outageTolerance, "outageTolerance");
    if (writeHold.isNegative()) {
      throw new IllegalArgumentException("writeHold must not be negative, got " + writeHold);
    }
  }

  /**
   * Reads at most 1 s stale, a full re-list every 60 s, a trial's writes held up to 1 s, 5 min for
   * flushes and for outages.
   */
  public static MlflowStorageOptions defaults() {
    return new MlflowStorageOptions(
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5));
  }

  /** The same options with another read staleness. */
  public MlflowStorageOptions withReadStaleness(Duration value) {
    return new MlflowStorageOptions(
        value, fullRefreshInterval, writeHold, flushTimeout, outageTolerance);
  }

  /** The same options with another write hold. */
  public MlflowStorageOptions withWriteHold(Duration value) {
    return new MlflowStorageOptions(
        readStaleness, fullRefreshInterval, value, flushTimeout, outageTolerance);
  }
}
