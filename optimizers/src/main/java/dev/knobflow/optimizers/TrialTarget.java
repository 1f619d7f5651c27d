package dev.knobflow.optimizers;

/**
 * Which finished trials count toward a study's trial target (what {@code resume} completes): every
 * COMPLETE and PRUNED trial, and every trial that failed on its own (the objective threw, exited
 * non-zero, returned a non-finite value...). A trial failed because its worker stopped under it
 * does not count, so resuming after crashes still reaches the target: one marked stale (no
 * heartbeat; {@link dev.knobflow.optimizers.storage.StudyStorage#failStaleTrials}) or interrupted
 * (Ctrl-C, {@link Study#failRunningTrials}).
 */
public final class TrialTarget {

  /** How a stale trial's fail reason starts. */
  public static final String STALE_REASON_PREFIX = "stale:";

  /** How an interrupted trial's fail reason starts. */
  public static final String INTERRUPTED_REASON_PREFIX = "interrupted";

  private TrialTarget() {}

  /** Whether {@code trial} counts toward the trial target. */
  public static boolean counts(FrozenTrial trial) {
    return switch (trial.state()) {
      case COMPLETE, PRUNED -> true;
      case FAIL -> !abandoned(trial.failReason());
      default -> false;
    };
  }

  /** Whether a fail reason says the trial's worker stopped under it (stale or interrupted). */
  public static boolean abandoned(String failReason) {
    return failReason != null
        && (failReason.startsWith(STALE_REASON_PREFIX)
            || failReason.startsWith(INTERRUPTED_REASON_PREFIX));
  }
}
