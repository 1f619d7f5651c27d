package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RepeatGuard;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link RepeatGuard} to one study instance's proposals: which trials it guards (a
 * model-based sampler, an objective not declared noisy, a trial not enqueued), the other trials'
 * configurations a proposal is checked against (stored parameters, and this process's proposals
 * whose define-by-run parameters are not all written yet), the decision recorded on the trial, and
 * whether a finite declared space is all taken.
 */
final class StudyRepeatGuard {

  private static final Logger LOG = LoggerFactory.getLogger(Study.class);

  private final String name;
  private final StudyStorage storage;
  private final Sampler sampler;
  private final SearchSpace declaredSpace;
  private final boolean noisy;
  private final long seed;
  // This process's proposals whose parameters are not all written yet (define-by-run), and the
  // lock under which a proposal is checked for repeats and written: parallel workers of one
  // process never start the same configuration.
  private final Map<Integer, Map<String, Object>> pendingProposals = new ConcurrentHashMap<>();
  private final Object proposalLock = new Object();

  StudyRepeatGuard(
      String name,
      StudyStorage storage,
      Sampler sampler,
      SearchSpace declaredSpace,
      boolean noisy,
      long seed) {
    this.name = name;
    this.storage = storage;
    this.sampler = sampler;
    this.declaredSpace = declaredSpace;
    this.noisy = noisy;
    this.seed = seed;
  }

  /** Whether {@code trial}'s proposal is checked for repeats. */
  boolean guards(FrozenTrial trial, Map<String, Distribution> relativeSpace) {
    return !noisy
        && sampler.modelBased()
        && !trial.systemAttrs().containsKey(TrialStarter.FIXED_PARAMS_ATTR)
        && (!declaredSpace.isEmpty() || !relativeSpace.isEmpty());
  }

  /**
   * The lock to hold from {@link #withoutRepeat} until the declared parameters are written, so that
   * this process's workers never start the same configuration.
   */
  Object lock() {
    return proposalLock;
  }

  /**
   * {@code trial} with a configuration no other trial has (see {@link RepeatGuard}): the proposal
   * itself when it repeats nothing, so that seeded studies without repeats are unchanged. Call
   * under {@link #lock()}.
   */
  Trial withoutRepeat(
      Study study,
      Trial trial,
      FrozenTrial current,
      Map<String, Distribution> relativeSpace,
      Map<String, Object> fixed,
      SpaceOverrides overrides) {
    Map<String, Distribution> space = new LinkedHashMap<>(relativeSpace);
    space.putAll(declaredSpace.distributions());
    Map<String, Distribution> effective = new LinkedHashMap<>();
    Map<String, Object> proposal = trial.propose(space, effective);
    RepeatGuard.Decision decision =
        RepeatGuard.avoid(
            proposal,
            effective,
            otherConfigurations(current.number()),
            Seeds.forTrial(seed, current.number()).nextLong());
    if (!decision.attributes().isEmpty()) {
      for (Map.Entry<String, Object> e : decision.attributes().entrySet()) {
        storage.setSystemAttr(name, current.number(), e.getKey(), e.getValue());
      }
      current = storage.trial(name, current.number());
      if (decision.attributes().containsKey(RepeatGuard.REPEAT_KEPT_ATTR)) {
        LOG.warn(
            "trial {} of study '{}': {}",
            current.number(),
            name,
            decision.attributes().get(RepeatGuard.REPEAT_KEPT_ATTR));
      } else {
        LOG.debug(
            "trial {} of study '{}': the sampler proposed trial {}'s configuration again; running"
                + " a neighbour instead",
            current.number(),
            name,
            decision.attributes().get(RepeatGuard.REPEAT_AVOIDED_ATTR));
      }
    }
    if (!declaredSpace.distributions().keySet().containsAll(space.keySet())) {
      // Define-by-run parameters are written later: keep the proposal visible to other workers.
      pendingProposals.put(current.number(), decision.params());
    }
    return new Trial(study, current, space, decision.params(), fixed, overrides);
  }

  /** Forgets trial {@code number}'s pending proposal (it finished). */
  void forget(int number) {
    if (!pendingProposals.isEmpty()) {
      pendingProposals.remove(number);
    }
  }

  /** Every other trial's configuration: stored params, or this process's pending proposal. */
  private Map<Integer, Map<String, Object>> otherConfigurations(int number) {
    Map<Integer, Map<String, Object>> others = new LinkedHashMap<>();
    for (FrozenTrial t : storage.trials(name)) {
      if (t.number() != number) {
        others.put(t.number(), t.params());
      }
    }
    pendingProposals.forEach(
        (n, params) -> {
          if (n != number) {
            Map<String, Object> merged = new LinkedHashMap<>(others.getOrDefault(n, Map.of()));
            params.forEach(merged::putIfAbsent);
            others.put(n, merged);
          }
        });
    return others;
  }

  /**
   * Whether a model-based sampler has no configuration left to propose: the declared space is
   * finite and every configuration of it is taken (not checked for a noisy objective).
   */
  boolean spaceExhausted() {
    if (noisy || !sampler.modelBased() || declaredSpace.isEmpty()) {
      return false;
    }
    Map<String, Distribution> space = declaredSpace.distributions();
    if (RepeatGuard.size(space) <= 0) {
      return false;
    }
    Map<Integer, Map<String, Object>> others = new LinkedHashMap<>();
    for (FrozenTrial t : storage.trials(name)) {
      others.put(t.number(), t.params());
    }
    return RepeatGuard.exhausted(space, others);
  }
}
