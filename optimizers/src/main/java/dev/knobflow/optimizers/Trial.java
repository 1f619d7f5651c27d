package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.InvalidDistributionException;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.ParamValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A running trial: the objective suggests its parameters here (define-by-run), reports intermediate
 * values and asks whether to stop.
 *
 * <p>Suggesting the same name with the same distribution again returns the same value; with a
 * different distribution it is an error. Conditional parameters are simply suggested inside an
 * {@code if}. A trial is used by one thread.
 */
public final class Trial {

  private final Study study;
  private final int number;
  private final FrozenTrial started;
  private final Map<String, Distribution> relativeSpace;
  private final Map<String, Object> relativeSample;
  private final Map<String, Object> fixedParams;
  private final SpaceOverrides overrides;
  private final Map<String, Object> params = new LinkedHashMap<>();
  private final Map<String, Distribution> distributions = new LinkedHashMap<>();
  private FrozenTrial view;
  private long lastStep = Long.MIN_VALUE;
  private List<Double> lastReported = List.of();
  // Set once a prune was requested for this trial (Study#requestPrune) and this trial saw it.
  private boolean pruneRequested;

  Trial(
      Study study,
      FrozenTrial started,
      Map<String, Distribution> relativeSpace,
      Map<String, Object> relativeSample,
      Map<String, Object> fixedParams,
      SpaceOverrides overrides) {
    this.study = study;
    this.number = started.number();
    this.started = started;
    this.view = started;
    this.relativeSpace = relativeSpace;
    this.relativeSample = relativeSample;
    this.fixedParams = fixedParams;
    this.overrides = overrides;
    params.putAll(started.params());
    distributions.putAll(started.distributions());
  }

  /** The trial's number in its study. */
  public int number() {
    return number;
  }

  /**
   * The study's objectives, in the order {@link #report} takes their values: an objective that
   * knows several named per-step values reports the ones the study asks for.
   */
  public List<Objective> objectives() {
    return study.objectives();
  }

  /** The study's name. */
  public String studyName() {
    return study.name();
  }

  /** A float between {@code low} and {@code high}. */
  public double suggestFloat(String name, double low, double high) {
    return suggestFloat(name, low, high, false);
  }

  /** A float between {@code low} and {@code high}, uniform in log space when {@code log}. */
  public double suggestFloat(String name, double low, double high, boolean log) {
    return suggestFloat(name, distribution(name, () -> new FloatDistribution(low, high, log, 0)));
  }

  /** A float from {@code low} to {@code high} on a grid of {@code step}. */
  public double suggestFloat(String name, double low, double high, double step) {
    return suggestFloat(name, distribution(name, () -> FloatDistribution.stepped(low, high, step)));
  }

  /** A float from a distribution. */
  public double suggestFloat(String name, FloatDistribution distribution) {
    return ((Number) suggest(name, distribution)).doubleValue();
  }

  /** An integer from {@code low} to {@code high} inclusive. */
  public int suggestInt(String name, int low, int high) {
    return suggestInt(name, low, high, false);
  }

  /** An integer from {@code low} to {@code high}, uniform in log space when {@code log}. */
  public int suggestInt(String name, int low, int high, boolean log) {
    return (int)
        suggestLong(name, distribution(name, () -> new IntDistribution(low, high, log, 1)));
  }

  /** An integer from an int distribution. */
  public long suggestLong(String name, IntDistribution distribution) {
    return ((Number) suggest(name, distribution)).longValue();
  }

  /** One of {@code choices}. */
  @SuppressWarnings("unchecked")
  public <T> T suggestCategorical(String name, List<T> choices) {
    CategoricalDistribution distribution =
        distribution(name, () -> CategoricalDistribution.of(choices.toArray()));
    Object value = suggest(name, distribution);
    // Hand back the caller's own object (e.g. an Integer rather than the normalised Long).
    return choices.get(distribution.indexOf(value));
  }

  /** One of {@code choices}. */
  @SafeVarargs
  public final <T> T suggestCategorical(String name, T... choices) {
    return suggestCategorical(name, Arrays.asList(choices));
  }

  /** A value from any distribution: Double for floats, Long for ints, the choice otherwise. */
  public Object suggest(String name, Distribution distribution) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parameter name must not be blank");
    }
    Distribution known = distributions.get(name);
    if (known != null) {
      if (!known.equals(distribution)) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "' was already suggested in trial "
                + number
                + " with "
                + known
                + "; it cannot be suggested again with "
                + distribution);
      }
      return params.get(name);
    }
    Object value = chooseValue(name, distribution);
    value = DistributionJson.canonicalValue(distribution, value);
    study.storage().setParam(study.name(), number, name, distribution, value);
    params.put(name, value);
    distributions.put(name, distribution);
    view = null;
    return value;
  }

  /**
   * Suggests every parameter of {@code space} in order, choosing each value exactly as {@link
   * #suggest} would (a later one sees the earlier ones), and records the new ones with one {@link
   * dev.knobflow.optimizers.storage.StudyStorage#setParams} call: one round trip on a shared
   * storage instead of one per parameter.
   */
  void suggestAll(Map<String, Distribution> space) {
    Map<String, ParamValue> chosen = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      String name = e.getKey();
      Distribution distribution = e.getValue();
      if (name == null || name.isBlank() || distributions.containsKey(name)) {
        suggest(name, distribution); // the checks and messages of a single suggest; no new write
        continue;
      }
      Object value = DistributionJson.canonicalValue(distribution, chooseValue(name, distribution));
      params.put(name, value);
      distributions.put(name, distribution);
      view = null;
      chosen.put(name, new ParamValue(distribution, value));
    }
    if (!chosen.isEmpty()) {
      study.storage().setParams(study.name(), number, chosen);
    }
  }

  /**
   * The values this trial would take for {@code space}, chosen exactly as {@link #suggest} would
   * choose them but not recorded; with the distributions they must stay in (after any range
   * narrowing). For the study's repeat check before the parameters are written.
   */
  Map<String, Object> propose(
      Map<String, Distribution> space, Map<String, Distribution> effectiveOut) {
    Map<String, Object> proposal = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      String name = e.getKey();
      Distribution distribution = e.getValue();
      effectiveOut.put(name, overrides.narrow(name, distribution));
      Object value = params.containsKey(name) ? params.get(name) : chooseValue(name, distribution);
      proposal.put(name, DistributionJson.canonicalValue(distribution, value));
    }
    return proposal;
  }

  private Object chooseValue(String name, Distribution distribution) {
    Object fixed = fixedParams.get(name);
    if (fixed != null) {
      if (distribution.contains(fixed)) {
        return fixed;
      }
      study
          .log()
          .warn(
              "trial {}: enqueued value {} for '{}' is outside {}; sampling instead",
              number,
              fixed,
              name,
              distribution);
    }
    // A narrowed range (SpaceOverrides) constrains the value; the recorded distribution stays the
    // one asked for, so samplers keep comparing like with like across trials.
    Distribution effective = overrides.narrow(name, distribution);
    if (relativeSample.containsKey(name) && distribution.equals(relativeSpace.get(name))) {
      Object value = relativeSample.get(name);
      if (effective.contains(value)) {
        return value;
      }
    }
    return study.sampler().sampleIndependent(study, snapshot(), name, effective);
  }

  /**
   * Reports intermediate values at a step: one value for a single-objective study, one per
   * objective otherwise. Steps must increase.
   */
  public void report(long step, double... values) {
    int expected = study.objectives().size();
    if (values.length != expected) {
      throw new IllegalArgumentException(
          "report: expected "
              + expected
              + " value"
              + (expected == 1 ? "" : "s")
              + " (one per objective), got "
              + values.length);
    }
    if (step < 0) {
      throw new IllegalArgumentException("report: step must not be negative, got " + step);
    }
    if (step <= lastStep) {
      throw new IllegalArgumentException(
          "report: step " + step + " does not come after the last reported step " + lastStep);
    }
    if (pruneRequested || study.pruneRequestedHere(number)) {
      pruneRequested = true;
      // The prune was decided at lastStep; what the objective reports after that is not kept,
      // so the trial is recorded as it stood when the decision was made.
      study
          .log()
          .debug("trial {}: step {} not kept: pruned at step {}", number, step, prunedAtStep());
      return;
    }
    List<Double> list = Arrays.stream(values).boxed().toList();
    study.storage().reportIntermediate(study.name(), number, step, list);
    lastStep = step;
    lastReported = list;
    view = null;
    study.notifyIntermediate(number, step, list);
    if (study.pruneRequestedHere(number)) {
      pruneRequested = true; // a listener (the advisor) decided at this step
    }
  }

  /**
   * Whether this trial should stop now: the study's scheduler says so, or a listener asked for it
   * ({@link Study#requestPrune}). Once a request was seen, the answer stays true and later {@link
   * #report}s are not kept: the trial is recorded as pruned at the step the request was decided
   * (the scheduler's answer is a query and may change from step to step).
   */
  public boolean shouldPrune() {
    if (pruneRequested || study.pruneRequestedHere(number)) {
      pruneRequested = true;
      return true;
    }
    FrozenTrial current = study.storage().trial(study.name(), number);
    if (current.systemAttrs().containsKey(Study.PRUNE_REQUEST_ATTR)
        || study.pruneIfBudgetExhausted().isPresent()) {
      pruneRequested = true;
      return true;
    }
    return study.scheduler().shouldPrune(study, current);
  }

  /**
   * Whether a prune was requested for this trial ({@link Study#requestPrune}: the advisor, a
   * budget) and this trial has seen it, as opposed to a scheduler's answer.
   */
  public boolean pruneRequested() {
    return pruneRequested;
  }

  /** The last step kept, or -1 when none was reported. */
  private long prunedAtStep() {
    return lastStep == Long.MIN_VALUE ? -1 : lastStep;
  }

  /** The budget a scheduler granted this trial, if any. */
  public OptionalDouble budget() {
    return started.budgetIfAssigned();
  }

  /**
   * This trial's checkpoint: save state to resume from, or load what this trial or the trial it
   * continues (after a scheduler's promotion) saved.
   */
  public Checkpoint checkpoint() {
    return new Checkpoint(study.storage(), study.name(), number);
  }

  /** Sets a user attribute stored with the trial. */
  public void setUserAttr(String key, Object value) {
    study.storage().setUserAttr(study.name(), number, key, value);
    view = null;
  }

  /** The parameters suggested so far, in order. */
  public Map<String, Object> params() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The distributions of the parameters suggested so far. */
  public Map<String, Distribution> distributions() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(distributions));
  }

  /** The values of the last {@link #report}, empty if none. */
  List<Double> lastReported() {
    return lastReported;
  }

  /** A snapshot of this trial as samplers see it: the start state plus what was suggested. */
  FrozenTrial snapshot() {
    if (view == null) {
      view =
          new FrozenTrial(
              number,
              TrialState.RUNNING,
              List.of(),
              params,
              distributions,
              started.intermediateValues(),
              List.of(),
              Map.of(),
              started.userAttrs(),
              started.systemAttrs(),
              started.budget(),
              started.started(),
              null,
              null,
              null);
    }
    return view;
  }

  private static <D extends Distribution> D distribution(
      String name, java.util.function.Supplier<D> factory) {
    try {
      return factory.get();
    } catch (InvalidDistributionException e) {
      throw e.withPath(name);
    }
  }
}
