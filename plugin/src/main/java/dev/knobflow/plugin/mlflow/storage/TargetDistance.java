package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Whether a study is so far below its trial target that the target check may use the cached view
 * (at most {@link MlflowStorageOptions#readStaleness()} old) instead of asking the server before
 * every trial: the trials that occupy the target (see {@link TrialTarget#occupies}) plus the ones
 * other workers could have started since the last read stay below the target.
 *
 * <p>What other workers could have started is estimated from what the last read showed: each of
 * their running trials (plus one, for a worker between two trials) can have been followed by one
 * new trial per shortest recent trial duration since that read. A worker that joins with many
 * parallel trials between two reads is not foreseen; near the target every check asks the server,
 * so the end of a study is decided on what the server holds, as before.
 */
final class TargetDistance {

  /** How many of the latest finished trials give the shortest trial duration. */
  private static final int RECENT = 16;

  private TargetDistance() {}

  /** Whether the cached view of {@code s} leaves room to spare below its stored trial target. */
  static boolean farFromTarget(StudyCache s, long nowNanos) {
    if (!(s.record.attrs().get(TrialTarget.STUDY_ATTR) instanceof Number target)) {
      return false;
    }
    long occupied = 0;
    long othersRunning = 0;
    for (TrialEntry e : s.byNumber.values()) {
      if (TrialTarget.occupies(e.snapshot())) {
        occupied++;
      }
      if (!e.owned && e.state == TrialState.RUNNING) {
        othersRunning++;
      }
    }
    // Numbers claimed (seen among the study run's claims) whose runs are not read yet.
    for (int n = s.settledNumber + 1; n < s.nextNumber; n++) {
      if (!s.byNumber.containsKey(n) && !s.gaps.contains(n)) {
        occupied++;
      }
    }
    Duration shortest = shortestRecentTrial(s);
    if (shortest == null) {
      return false; // no pace seen yet
    }
    long sinceRead = Math.max(0, nowNanos - s.lastReadNanos);
    long perSlot = 1 + ceilDiv(sinceRead, Math.max(1_000_000L, shortest.toNanos()));
    long couldHaveStarted = (othersRunning + 1) * perSlot;
    return occupied + couldHaveStarted < target.longValue();
  }

  private static @Nullable Duration shortestRecentTrial(StudyCache s) {
    @Nullable Duration shortest = null;
    int seen = 0;
    for (TrialEntry e : s.byNumber.descendingMap().values()) {
      if (!e.state.isFinished() || e.started == null || e.completed == null) {
        continue;
      }
      Duration d = Duration.between(e.started, e.completed);
      if (!d.isNegative() && (shortest == null || d.compareTo(shortest) < 0)) {
        shortest = d;
      }
      if (++seen >= RECENT) {
        break;
      }
    }
    return shortest;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
