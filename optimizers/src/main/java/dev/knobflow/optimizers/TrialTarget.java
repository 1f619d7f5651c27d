package dev.knobflow.optimizers;

import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which finished trials count toward a study's trial target (what {@code resume} completes): every
 * COMPLETE and PRUNED trial, and every trial that failed on its own (the objective threw, exited
 * non-zero, returned a non-finite value...). A trial failed because its worker stopped under it
 * does not count, so resuming after crashes still reaches the target: one marked stale (no
 * heartbeat; {@link dev.knobflow.optimizers.storage.StudyStorage#failStaleTrials}) or interrupted
 * (Ctrl-C, {@link Study#failRunningTrials}).
 *
 * <p>The target itself is a study attribute, {@value #STUDY_ATTR}, in the study's storage: set by
 * whoever starts the study ({@code knobflow tune}, {@link OptimizeOptions#withStudyTarget}) and
 * read by every {@link Study#optimize} call on the study, in this process or another, which starts
 * a trial only while the trials that {@linkplain #occupies occupy} the target are fewer than it.
 * The storage counts them ({@link StudyStorage#trialsOccupyingTarget}) and, where it can, checks
 * and starts a trial in one atomic step ({@link StudyStorage#holdsTargetExactly}).
 */
public final class TrialTarget {

  /** The study attribute holding the study's trial target (a whole number). */
  public static final String STUDY_ATTR = "trials_target";

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

  /**
   * Whether {@code trial} takes a place of the target when a worker decides whether to start one:
   * the trials that {@linkplain #counts count}, and the RUNNING ones (they will count when they
   * finish, unless their worker dies under them). WAITING (enqueued) trials do not: they take one
   * when a worker starts them.
   */
  public static boolean occupies(FrozenTrial trial) {
    return occupies(trial.state(), trial.failReason());
  }

  /**
   * {@link #occupies(FrozenTrial)} from a trial's state and fail reason alone: what a storage that
   * keeps the count as trials change ({@link StudyStorage#trialsOccupyingTarget}) applies.
   */
  public static boolean occupies(TrialState state, String failReason) {
    return switch (state) {
      case RUNNING, COMPLETE, PRUNED -> true;
      case FAIL -> !abandoned(failReason);
      default -> false;
    };
  }

  /** How many of {@code trials} count toward the target. */
  public static int counted(List<FrozenTrial> trials) {
    return (int) trials.stream().filter(TrialTarget::counts).count();
  }

  /** The trial target stored with study {@code study}, if it has one. */
  public static OptionalLong stored(StudyStorage storage, String study) {
    return storage
        .findStudy(study)
        .map(StudyRecord::attrs)
        .map(attrs -> attrs.get(STUDY_ATTR))
        .filter(Number.class::isInstance)
        .map(n -> OptionalLong.of(((Number) n).longValue()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Sets study {@code study}'s target to the trials that count now plus {@code more}: what a new
   * {@code tune} of the study aims for.
   *
   * @return the target stored
   */
  public static long aimFor(StudyStorage storage, String study, long more) {
    long target = counted(storage.trials(study)) + more;
    storage.setStudyAttr(study, STUDY_ATTR, target);
    return target;
  }

  /**
   * Makes room for {@code more} trials in study {@code study}'s stored target: raises it to the
   * trials that count now plus {@code more} when it is lower, never lowers it (other workers may be
   * filling it). A study without a stored target keeps none.
   *
   * @return the target now stored, if the study has one
   */
  public static OptionalLong makeRoom(StudyStorage storage, String study, long more) {
    OptionalLong stored = stored(storage, study);
    if (stored.isEmpty()) {
      return stored;
    }
    long wanted = counted(storage.trials(study)) + more;
    if (wanted <= stored.getAsLong()) {
      return stored;
    }
    storage.setStudyAttr(study, STUDY_ATTR, wanted);
    return OptionalLong.of(wanted);
  }

  /** Whether a fail reason says the trial's worker stopped under it (stale or interrupted). */
  public static boolean abandoned(String failReason) {
    return failReason != null
        && (failReason.startsWith(STALE_REASON_PREFIX)
            || failReason.startsWith(INTERRUPTED_REASON_PREFIX));
  }
}
