package dev.knobflow.advisor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.ActionKind;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.AdviceAction.SetRange;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.AdviceSource;
import dev.knobflow.advisor.Fixtures;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBasedAdvisorTest {

  private final RuleBasedAdvisor advisor = RuleBasedAdvisor.withDefaults();

  private static List<ActionKind> kinds(Advice a) {
    return a.actions().stream().map(AdviceAction::kind).toList();
  }

  @Test
  void divergenceAtLargeLearningRateStopsAndCapsAtAThird() {
    AdviceRequest request = Fixtures.request(Fixtures.diverging(), 3.0, 64);
    assertEquals(DiagnosisKind.DIVERGING, request.diagnosis().kind());
    Advice a = advisor.advise(request);
    assertEquals(List.of(ActionKind.STOP_TRIAL, ActionKind.SET_RANGE), kinds(a));
    SetRange r = (SetRange) a.actions().get(1);
    assertEquals("lr", r.parameter());
    assertEquals(1e-5, r.low());
    assertEquals(1.0, r.high(), 1e-12);
    assertEquals(AdviceSource.rules(), a.source());
    assertEquals(0.8, a.confidence());
  }

  @Test
  void divergenceCapNeverGoesBelowTheDeclaredLow() {
    RuleBasedAdvisor custom =
        RuleBasedAdvisor.of(
            RoleResolver.byCommonNames(), new RuleBasedAdvisor.Settings(1e9, 2, 2, 0.01));
    Advice a = custom.advise(Fixtures.request(Fixtures.diverging(), 3.0, 64));
    SetRange r = (SetRange) a.actions().get(1);
    assertTrue(r.high() > 1e-5 && r.high() < 3.0, "geometric midpoint, got " + r.high());
  }

  @Test
  void divergenceAtSmallLearningRateOnlyStops() {
    Advice a = advisor.advise(Fixtures.request(Fixtures.diverging(), 1e-4, 64));
    assertEquals(List.of(ActionKind.STOP_TRIAL), kinds(a));
    assertTrue(a.rationale().contains("lower half"));
  }

  @Test
  void oscillationCapsTheLearningRateBelowTheCurrentValue() {
    Advice a = advisor.advise(Fixtures.request(Fixtures.oscillating(), 0.5, 64));
    SetRange r = (SetRange) a.actions().get(0);
    assertEquals("lr", r.parameter());
    assertEquals(0.25, r.high(), 1e-12);
    assertTrue(!a.stopsTrial());
  }

  @Test
  void oscillationAtTheLowestLearningRateRaisesTheBatchSize() {
    Advice a = advisor.advise(Fixtures.request(Fixtures.oscillating(), 1.5e-5, 64));
    SetRange r = (SetRange) a.actions().get(0);
    assertEquals("batch_size", r.parameter());
    assertEquals(128, r.low());
    assertEquals(512, r.high());
  }

  @Test
  void plateauAtSmallLearningRateRaisesItsLowerBound() {
    Advice a = advisor.advise(Fixtures.request(Fixtures.plateau(), 1e-4, 64));
    SetRange r = (SetRange) a.actions().get(0);
    assertEquals(1e-4, r.low(), 1e-18);
    assertEquals(10, r.high());
  }

  @Test
  void plateauAtTheStudyBestIsConvergence() {
    double[] c = {1.0, 0.6, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2};
    Advice a = advisor.advise(Fixtures.request(c, 1e-4, 64));
    assertEquals(List.of(ActionKind.NONE), kinds(a));
    assertTrue(a.summary().contains("converged"));
  }

  @Test
  void healthyCurveGetsNoAction() {
    Advice a = advisor.advise(Fixtures.request(Fixtures.healthy(), 1e-3, 64));
    assertEquals(List.of(ActionKind.NONE), kinds(a));
  }

  @Test
  void explicitRoleMappingIsUsed() {
    RuleBasedAdvisor mapped =
        RuleBasedAdvisor.of(
            RoleResolver.fromConfig(java.util.Map.of("batch_size", "learning_rate")),
            RuleBasedAdvisor.Settings.defaults());
    Advice a = mapped.advise(Fixtures.request(Fixtures.oscillating(), 1e-3, 256));
    assertEquals("batch_size", ((SetRange) a.actions().get(0)).parameter());
  }

  @Test
  void sameRequestGivesSameAdvice() {
    AdviceRequest r = Fixtures.request(Fixtures.diverging(), 3.0, 64);
    assertEquals(advisor.advise(r), advisor.advise(r));
  }

  @Test
  void underperformingStopsTheTrialAndChangesNoRange() {
    java.util.List<dev.knobflow.advisor.diagnostics.Curve> completed = new java.util.ArrayList<>();
    for (int k = 0; k < 5; k++) {
      completed.add(
          dev.knobflow.advisor.diagnostics.Curve.ofValues(
              0.5, 0.3, 0.2, 0.15, 0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1));
    }
    dev.knobflow.advisor.diagnostics.Curve slow =
        dev.knobflow.advisor.diagnostics.Curve.ofValues(
            0.9, 0.89, 0.88, 0.87, 0.86, 0.85, 0.84, 0.83, 0.82, 0.81, 0.8, 0.79);
    AdviceRequest request =
        AdviceRequest.builder()
            .objective(
                dev.knobflow.advisor.space.Objective.of(
                    "val_loss", dev.knobflow.advisor.space.Direction.MINIMIZE))
            .space(Fixtures.space())
            .bestValue("val_loss", 0.1)
            .trialCount(6)
            .trialNumber(5)
            .param("lr", 1e-4)
            .param("batch_size", 64L)
            .param("optimizer", "adam")
            .curveLabel("val_loss")
            .curve(slow)
            .diagnosis(
                dev.knobflow.advisor.diagnostics.CurveDiagnostics.withDefaults()
                    .diagnose(slow, dev.knobflow.advisor.space.Direction.MINIMIZE, completed))
            .build();
    assertEquals(DiagnosisKind.UNDERPERFORMING, request.diagnosis().kind());
    Advice a = advisor.advise(request);
    assertEquals(List.of(ActionKind.STOP_TRIAL), kinds(a));
    assertTrue(a.rationale().contains("no range is changed"), a.rationale());
  }
}
