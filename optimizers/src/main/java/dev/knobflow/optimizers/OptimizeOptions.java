package dev.knobflow.optimizers;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How long and how wide {@link Study#optimize} runs.
 *
 * @param trials the number of trials to run in this call; {@code Integer.MAX_VALUE} for no limit
 * @param timeout stop starting new trials after this long; {@code null} for none
 * @param parallelism the number of trials evaluated at once, each on its own thread
 * @param heartbeatInterval how often running trials record that their worker is alive; {@code null}
 *     for no heartbeats
 * @param staleAfter RUNNING trials with no heartbeat for this long are marked FAIL when the call
 *     starts, and when the study's trial target looks reached while other workers' trials run;
 *     {@code null} to leave them
 * @param studyTarget the study-wide trial target this call stores in the study's storage (study
 *     attribute {@value TrialTarget#STUDY_ATTR}) before it starts; {@code null} to keep the stored
 *     one. Either way the call follows the stored target, if the study has one: see {@link
 *     TrialTarget}
 */
public record OptimizeOptions(
    int trials,
    @Nullable Duration timeout,
    int parallelism,
    @Nullable Duration heartbeatInterval,
    @Nullable Duration staleAfter,
    @Nullable Long studyTarget) {

  public OptimizeOptions {
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be at least 1, got " + trials);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (heartbeatInterval != null
        && (heartbeatInterval.isNegative() || heartbeatInterval.isZero())) {
      throw new IllegalArgumentException(
          "heartbeatInterval must be positive, got " + heartbeatInterval);
    }
    if (studyTarget != null && studyTarget < 0) {
      throw new IllegalArgumentException("studyTarget must be at least 0, got " + studyTarget);
    }
  }

  /** Run {@code trials} trials, one at a time, with no timeout. */
  public static OptimizeOptions trials(int trials) {
    return new OptimizeOptions(trials, null, 1, null, null, null);
  }

  /** Run until {@code timeout} has passed. */
  public static OptimizeOptions timeout(Duration timeout) {
    return new OptimizeOptions(Integer.MAX_VALUE, timeout, 1, null, null, null);
  }

  /** The same options with a timeout. */
  public OptimizeOptions withTimeout(Duration newTimeout) {
    return new OptimizeOptions(
        trials, newTimeout, parallelism, heartbeatInterval, staleAfter, studyTarget);
  }

  /** The same options with {@code n} trials at once. */
  public OptimizeOptions withParallelism(int n) {
    return new OptimizeOptions(trials, timeout, n, heartbeatInterval, staleAfter, studyTarget);
  }

  /** The same options with heartbeats, and stale RUNNING trials failed at start. */
  public OptimizeOptions withHeartbeat(Duration interval, Duration stale) {
    return new OptimizeOptions(trials, timeout, parallelism, interval, stale, studyTarget);
  }

  /**
   * Run until the study holds {@code target} trials that count (the study-wide target, shared by
   * every process and thread that optimises the study): stores it as the study's target.
   */
  public static OptimizeOptions studyTarget(long target) {
    return trials(Integer.MAX_VALUE).withStudyTarget(target);
  }

  /**
   * The same options, storing {@code target} as the study's trial target when the call starts
   * (every worker of the study, in any process, stops starting trials once it is reached); {@link
   * #trials()} still caps what this call runs.
   */
  public OptimizeOptions withStudyTarget(long target) {
    return new OptimizeOptions(trials, timeout, parallelism, heartbeatInterval, staleAfter, target);
  }
}
