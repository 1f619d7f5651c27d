package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.NumericalFailureException;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one study instance starts a trial ({@link Study#ask}) and queues one ({@link Study#enqueue}):
 * the scheduler's attributes and budget, the sampler's joint sample (random after a declared
 * numerical failure), the enqueued fixed parameters, the repeat guard, the declared space's
 * parameters, and the listeners told that the trial started.
 */
final class TrialStarter {

  private static final Logger LOG = LoggerFactory.getLogger(Study.class);

  /** System attribute of an enqueued trial: its fixed parameters. */
  static final String FIXED_PARAMS_ATTR = "fixed_params";

  private final Study study;
  private final String name;
  private final StudyStorage storage;
  private final Sampler sampler;
  private final Scheduler scheduler;
  private final SearchSpace declaredSpace;
  private final StudyRepeatGuard repeats;
  private final Object creationLock = new Object();

  TrialStarter(Study study, StudyRepeatGuard repeats) {
    this.study = study;
    this.name = study.name();
    this.storage = study.storage();
    this.sampler = study.sampler();
    this.scheduler = study.scheduler();
    this.declaredSpace = study.declaredSpace();
    this.repeats = repeats;
  }

  /**
   * Creates a trial with the scheduler's creation attributes. One thread of this process at a time:
   * the attributes are decided from the stored trials (PBT's claim of the segment a new trial
   * continues), so two threads deciding at once would both claim the same one. Workers in other
   * processes still can; the schedulers resolve that from storage.
   */
  FrozenTrial createTrial() {
    synchronized (creationLock) {
      return storage.createTrial(name, TrialState.RUNNING, scheduler.creationAttributes(study));
    }
  }

  /**
   * {@link #createTrial} only while fewer than {@code target} trials occupy the study's trial
   * target ({@link StudyStorage#createTrialBelowTarget}); empty when it is reached.
   */
  java.util.Optional<FrozenTrial> createTrialBelowTarget(long target) {
    synchronized (creationLock) {
      return storage.createTrialBelowTarget(name, target, scheduler.creationAttributes(study));
    }
  }

  /** Prepares a created (or claimed) trial to run and suggests the declared parameters. */
  Trial start(FrozenTrial created) {
    int number = created.number();
    Map<String, Object> scheduled = scheduler.trialAttributes(study, created);
    if (!scheduled.isEmpty()) {
      for (Map.Entry<String, Object> e : scheduled.entrySet()) {
        storage.setSystemAttr(name, number, e.getKey(), e.getValue());
      }
      created = storage.trial(name, number);
    }
    Map<String, Object> fixed = fixedParams(created);
    Map<String, Distribution> relativeSpace = sampler.relativeSearchSpace(study, created);
    RelativeSample decided = sampleRelative(created, relativeSpace);
    FrozenTrial current = created;
    if (!decided.attributes().isEmpty()) {
      for (Map.Entry<String, Object> e : decided.attributes().entrySet()) {
        storage.setSystemAttr(name, number, e.getKey(), e.getValue());
      }
      current = storage.trial(name, number);
    }
    OptionalDouble budget = scheduler.budgetFor(study, current);
    if (budget.isPresent()) {
      storage.setBudget(name, number, budget.getAsDouble());
      current = storage.trial(name, number);
    }
    SpaceOverrides overrides = study.spaceOverrides();
    Trial trial = new Trial(study, current, relativeSpace, decided.params(), fixed, overrides);
    if (repeats.guards(current, relativeSpace)) {
      synchronized (repeats.lock()) {
        trial = repeats.withoutRepeat(study, trial, current, relativeSpace, fixed, overrides);
        suggestDeclared(trial);
      }
    } else {
      suggestDeclared(trial);
    }
    study.notifyTrialStarted(trial);
    return trial;
  }

  private void suggestDeclared(Trial trial) {
    if (declaredSpace.isEmpty()) {
      return;
    }
    trial.suggestAll(declaredSpace.distributions());
  }

  /**
   * The sampler's decision for {@code trial}; after a declared numerical failure, none (every
   * parameter sampled independently) with the reason as the trial's fallback attribute.
   */
  private RelativeSample sampleRelative(FrozenTrial trial, Map<String, Distribution> space) {
    try {
      return sampler.sampleRelative(study, trial, space);
    } catch (NumericalFailureException e) {
      LOG.warn(
          "trial {} of study '{}' sampled at random: {}", trial.number(), name, e.getMessage());
      return RelativeSample.attributesOnly(Map.of(Sampler.FALLBACK_ATTR, e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fixedParams(FrozenTrial trial) {
    Object fixed = trial.systemAttrs().get(FIXED_PARAMS_ATTR);
    return fixed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Queues a trial with fixed parameters and system attributes; see {@link Study#enqueue}. */
  void enqueue(Map<String, Object> params, Map<String, Object> systemAttrs) {
    if (systemAttrs.containsKey(FIXED_PARAMS_ATTR)) {
      throw new IllegalArgumentException(
          "system attribute '" + FIXED_PARAMS_ATTR + "' is reserved");
    }
    Map<String, Object> attrs = new LinkedHashMap<>(systemAttrs);
    attrs.put(FIXED_PARAMS_ATTR, new LinkedHashMap<>(params));
    storage.createTrial(name, TrialState.WAITING, attrs);
  }
}
