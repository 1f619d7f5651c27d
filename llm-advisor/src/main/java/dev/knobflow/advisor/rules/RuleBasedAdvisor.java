package dev.knobflow.advisor.rules;

import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.AdviceValidator;
import dev.knobflow.advisor.Advisor;
import dev.knobflow.advisor.diagnostics.CurvePoint;
import dev.knobflow.advisor.space.Objective;
import dev.knobflow.advisor.space.ParameterSpec;
import dev.knobflow.advisor.space.ParameterSpec.FloatParameter;
import dev.knobflow.advisor.space.ParameterSpec.IntParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The offline, deterministic default advisor.
 *
 * <ul>
 *   <li>DIVERGING: stop the trial. When the learning rate is in the upper half of its declared
 *       range (log position for log-scaled ones), cap later trials' learning rate at {@code value /
 *       divergenceLrDivisor} (never below the declared low).
 *   <li>OSCILLATING: cap the learning rate at {@code value / oscillationLrDivisor}; when that is
 *       not possible, raise the batch size's lower bound to {@code value * batchSizeFactor}.
 *   <li>PLATEAU: nothing when the trial is at the study's best (it converged); otherwise raise the
 *       learning rate's lower bound to the current value when it sits in the lower half of its
 *       range, else give later trials at least this trial's epochs (when an epochs-like parameter
 *       exists) or recommend more budget in the rationale.
 *   <li>UNDERPERFORMING (median stopping): stop the trial; no range changes, the curve itself is
 *       fine.
 *   <li>HEALTHY: nothing.
 * </ul>
 *
 * Output is always passed through {@link AdviceValidator}.
 */
public final class RuleBasedAdvisor implements Advisor {

  /**
   * Tunable factors of the rules.
   *
   * @param divergenceLrDivisor new learning-rate high after divergence is value / this (default 3)
   * @param oscillationLrDivisor new learning-rate high after oscillation is value / this (default
   *     2)
   * @param batchSizeFactor new batch-size low after oscillation is value * this (default 2)
   * @param convergedRtol a plateau within this share of the study's best value counts as converged
   *     (default 0.01)
   */
  public record Settings(
      double divergenceLrDivisor,
      double oscillationLrDivisor,
      double batchSizeFactor,
      double convergedRtol) {

    /** Validates the factors. */
    public Settings {
      if (!(divergenceLrDivisor > 1) || !(oscillationLrDivisor > 1) || !(batchSizeFactor > 1)) {
        throw new IllegalArgumentException(
            "divergenceLrDivisor, oscillationLrDivisor and batchSizeFactor must be > 1");
      }
      if (!(convergedRtol >= 0)) {
        throw new IllegalArgumentException("convergedRtol must be >= 0; got " + convergedRtol);
      }
    }

    /**
     * @return the documented defaults
     */
    public static Settings defaults() {
      return new Settings(3, 2, 2, 0.01);
    }
  }

  private final RoleResolver roles;
  private final Settings settings;

  private RuleBasedAdvisor(RoleResolver roles, Settings settings) {
    this.roles = Objects.requireNonNull(roles, "roles");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * @return an advisor using common parameter names and default settings
   */
  public static RuleBasedAdvisor withDefaults() {
    return new RuleBasedAdvisor(RoleResolver.byCommonNames(), Settings.defaults());
  }

  /**
   * @param roles how parameter roles are found
   * @param settings rule factors
   * @return the advisor
   */
  public static RuleBasedAdvisor of(RoleResolver roles, Settings settings) {
    return new RuleBasedAdvisor(roles, settings);
  }

  @Override
  public Advice advise(AdviceRequest request) {
    Advice raw =
        switch (request.diagnosis().kind()) {
          case DIVERGING -> diverging(request);
          case OSCILLATING -> oscillating(request);
          case PLATEAU -> plateau(request);
          case UNDERPERFORMING ->
              Advice.fromRules(
                  "Stop trial " + request.trialNumber() + ": it is well behind the completed ones.",
                  List.of(
                      new AdviceAction.StopTrial(
                          "Behind the median of the completed trials at the same step ("
                              + request.diagnosis().evidence().rule()
                              + "); it is unlikely to finish among the best.")),
                  request.diagnosis().evidence().explanation()
                      + " The curve itself is not broken, so no range is changed.",
                  0.7);
          case HEALTHY ->
              Advice.fromRules(
                  "Trial " + request.trialNumber() + " looks healthy; no change.",
                  List.of(new AdviceAction.NoAction("The curve is healthy.")),
                  request.diagnosis().evidence().explanation(),
                  0.9);
        };
    return AdviceValidator.of(request.space()).validate(raw);
  }

  private Advice diverging(AdviceRequest request) {
    List<AdviceAction> actions = new ArrayList<>();
    actions.add(
        new AdviceAction.StopTrial(
            "The curve diverged ("
                + request.diagnosis().evidence().rule()
                + "); further steps waste budget."));
    Optional<Numeric> lr = numeric(request, ParameterRole.LEARNING_RATE);
    String evidence = request.diagnosis().evidence().explanation();
    if (lr.isEmpty()) {
      return Advice.fromRules(
          "Stop trial " + request.trialNumber() + ": it diverged.",
          actions,
          evidence + " No learning-rate parameter was found, so only the trial is stopped.",
          0.6);
    }
    Numeric p = lr.get();
    if (p.position() < 0.5) {
      return Advice.fromRules(
          "Stop trial " + request.trialNumber() + ": it diverged at a moderate learning rate.",
          actions,
          evidence
              + " The learning rate "
              + fmt(p.value)
              + " is in the lower half of its range,"
              + " so the cause may be elsewhere (data, initialisation, other parameters); the"
              + " range is left unchanged.",
          0.5);
    }
    double cap = p.value / settings.divergenceLrDivisor();
    if (cap <= p.low) {
      cap = p.log ? Math.sqrt(p.low * p.value) : (p.low + p.value) / 2;
    }
    if (cap > p.low) {
      actions.add(
          new AdviceAction.SetRange(
              p.name,
              p.low,
              cap,
              "Learning rate "
                  + fmt(p.value)
                  + " diverged; later trials sample below "
                  + fmt(cap)
                  + "."));
    }
    return Advice.fromRules(
        "Stop trial " + request.trialNumber() + " and cap " + p.name + " below " + fmt(cap) + ".",
        actions,
        evidence
            + " The learning rate "
            + fmt(p.value)
            + " is in the upper half of its declared range; divergence at large steps is the"
            + " classic sign of a step size beyond the loss's curvature.",
        0.8);
  }

  private Advice oscillating(AdviceRequest request) {
    String evidence = request.diagnosis().evidence().explanation();
    Optional<Numeric> lr = numeric(request, ParameterRole.LEARNING_RATE);
    if (lr.isPresent()) {
      Numeric p = lr.get();
      double cap = p.value / settings.oscillationLrDivisor();
      if (cap > p.low) {
        return Advice.fromRules(
            "Lower " + p.name + " below " + fmt(cap) + " for later trials.",
            List.of(
                new AdviceAction.SetRange(
                    p.name,
                    p.low,
                    cap,
                    "Learning rate "
                        + fmt(p.value)
                        + " makes the loss swing; a smaller step"
                        + " should settle it.")),
            evidence + " Swings without progress usually mean the step overshoots the minimum.",
            0.6);
      }
    }
    Optional<Numeric> batch = numeric(request, ParameterRole.BATCH_SIZE);
    if (batch.isPresent()) {
      Numeric p = batch.get();
      double low = p.value * settings.batchSizeFactor();
      if (low < p.high) {
        return Advice.fromRules(
            "Raise " + p.name + " to at least " + fmt(low) + " for later trials.",
            List.of(
                new AdviceAction.SetRange(
                    p.name,
                    low,
                    p.high,
                    "Larger batches average out gradient noise that makes the loss swing.")),
            evidence + " The learning rate cannot be lowered further, so reduce gradient noise.",
            0.45);
      }
    }
    return Advice.fromRules(
        "Trial " + request.trialNumber() + " oscillates; no parameter to adjust.",
        List.of(
            new AdviceAction.NoAction(
                "No learning-rate or batch-size parameter with room to move was found.")),
        evidence,
        0.3);
  }

  private Advice plateau(AdviceRequest request) {
    String evidence = request.diagnosis().evidence().explanation();
    if (atStudyBest(request)) {
      return Advice.fromRules(
          "Trial " + request.trialNumber() + " converged at the study's best; no change.",
          List.of(new AdviceAction.NoAction("The plateau is at the best value seen so far.")),
          evidence + " A plateau at the best value is convergence, not a problem.",
          0.7);
    }
    Optional<Numeric> lr = numeric(request, ParameterRole.LEARNING_RATE);
    if (lr.isPresent() && lr.get().position() < 0.5 && lr.get().value > lr.get().low) {
      Numeric p = lr.get();
      return Advice.fromRules(
          "Raise " + p.name + " to at least " + fmt(p.value) + " for later trials.",
          List.of(
              new AdviceAction.SetRange(
                  p.name,
                  p.value,
                  p.high,
                  "Learning stalled at a small learning rate "
                      + fmt(p.value)
                      + "; larger steps may escape the plateau.")),
          evidence
              + " The trial stalled short of the study's best with a learning rate in the"
              + " lower half of its range.",
          0.5);
    }
    Optional<Numeric> epochs = numeric(request, ParameterRole.EPOCHS);
    if (epochs.isPresent() && epochs.get().value < epochs.get().high) {
      Numeric p = epochs.get();
      return Advice.fromRules(
          "Give later trials at least " + fmt(p.value) + " " + p.name + ".",
          List.of(
              new AdviceAction.SetRange(
                  p.name,
                  p.value,
                  p.high,
                  "More training budget may carry the curve past the plateau.")),
          evidence,
          0.4);
    }
    return Advice.fromRules(
        "Trial " + request.trialNumber() + " plateaued; consider more budget.",
        List.of(
            new AdviceAction.NoAction(
                "No learning-rate or epochs parameter with room to move; a scheduler with more"
                    + " budget per trial may help.")),
        evidence,
        0.3);
  }

  private boolean atStudyBest(AdviceRequest request) {
    List<CurvePoint> points = request.curve().points();
    if (points.isEmpty()) {
      return false;
    }
    double last = points.get(points.size() - 1).value();
    for (Objective o : request.objectives()) {
      Double best = request.bestValues().get(o.name());
      if (best != null && o.name().equals(request.curveLabel())) {
        double tolerance = settings.convergedRtol() * Math.max(Math.abs(best), 1e-12);
        return o.direction().improvement(best, last) >= -tolerance;
      }
    }
    return false;
  }

  private Optional<Numeric> numeric(AdviceRequest request, ParameterRole role) {
    List<String> names = request.space().parameters().stream().map(ParameterSpec::name).toList();
    Optional<String> name = roles.find(names, role);
    if (name.isEmpty() || !(request.params().get(name.get()) instanceof Number value)) {
      return Optional.empty();
    }
    ParameterSpec spec = request.space().find(name.get()).orElseThrow();
    if (spec instanceof FloatParameter f) {
      return Optional.of(new Numeric(f.name(), value.doubleValue(), f.low(), f.high(), f.log()));
    }
    if (spec instanceof IntParameter i) {
      return Optional.of(new Numeric(i.name(), value.doubleValue(), i.low(), i.high(), i.log()));
    }
    return Optional.empty();
  }

  private static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** A numeric parameter's current value and declared range. */
  private record Numeric(String name, double value, double low, double high, boolean log) {
    double position() {
      double v = Math.max(low, Math.min(high, value));
      return log
          ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low))
          : (v - low) / (high - low);
    }
  }
}
