package dev.knobflow.plugin.recovery;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The re-queue policy for trials whose worker died: each RUNNING trial without a heartbeat for
 * {@code staleAfter} is marked FAIL (as {@code optimize} does on its own) and a new WAITING trial
 * with the same parameters is queued, so the next {@code ask()} evaluates that point again. The new
 * trial's system attribute {@value #REQUEUED_FROM} holds the stale trial's number.
 *
 * <p>Call it before {@code optimize} on one worker (e.g. the one resuming); two workers calling it
 * at once cannot re-queue a trial twice, because only the one whose storage call actually fails the
 * trial gets it back.
 */
public final class StaleTrialRecovery {

  /** The system attribute naming the stale trial a re-queued trial repeats. */
  public static final String REQUEUED_FROM = "requeued_from";

  private StaleTrialRecovery() {}

  /**
   * A stale trial and the trial queued in its place.
   *
   * @param staleTrial the number of the trial marked FAIL
   * @param queuedTrial the number of the new WAITING trial
   * @param params the parameters it will run with
   */
  public record Requeued(int staleTrial, int queuedTrial, Map<String, Object> params) {
    public Requeued {
      params = Map.copyOf(params);
    }
  }

  /**
   * Fails the stale RUNNING trials of {@code study} and queues each one's parameters again.
   *
   * @param staleAfter how long without a heartbeat (or since its start, if it never sent one) a
   *     RUNNING trial must be to count as abandoned; zero fails every RUNNING trial
   * @return what was re-queued, in trial-number order
   */
  public static List<Requeued> failAndRequeue(Study study, Duration staleAfter, Instant now) {
    Objects.requireNonNull(study, "study");
    if (staleAfter == null || staleAfter.isNegative()) {
      throw new IllegalArgumentException("staleAfter must be zero or positive, got " + staleAfter);
    }
    List<Requeued> requeued = new ArrayList<>();
    List<FrozenTrial> stale = study.storage().failStaleTrials(study.name(), staleAfter, now);
    for (FrozenTrial trial : stale) {
      Map<String, Object> params = new LinkedHashMap<>(trial.params());
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("fixed_params", params);
      attrs.put(REQUEUED_FROM, trial.number());
      FrozenTrial queued = study.storage().createTrial(study.name(), TrialState.WAITING, attrs);
      requeued.add(new Requeued(trial.number(), queued.number(), params));
    }
    return requeued;
  }
}
