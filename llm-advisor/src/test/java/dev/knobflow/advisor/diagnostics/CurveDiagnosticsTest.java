package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.space.Direction;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurveDiagnosticsTest {

  private final CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();

  private Diagnosis min(double... values) {
    return diagnostics.diagnose(values, Direction.MINIMIZE);
  }

  @Test
  void steadilyDecreasingLossIsHealthy() {
    double[] c = new double[30];
    for (int i = 0; i < c.length; i++) {
      c[i] = 2.0 * Math.exp(-0.1 * i) + 0.1;
    }
    Diagnosis d = min(c);
    assertEquals(DiagnosisKind.HEALTHY, d.kind());
    assertEquals("no_rule_fired", d.evidence().rule());
    assertEquals(30, d.pointCount());
  }

  @Test
  void nanAtStartIsDivergingWithItsIndex() {
    Diagnosis d = min(Double.NaN, 1.0, 0.9);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("non_finite", d.evidence().rule());
    assertEquals(0.0, d.evidence().measured().get("firstNonFiniteIndex"));
  }

  @Test
  void infinityLaterIsDivergingAndCounted() {
    Diagnosis d = min(1, 0.9, 0.8, 0.7, Double.POSITIVE_INFINITY, Double.NaN);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals(4.0, d.evidence().measured().get("firstNonFiniteIndex"));
    assertEquals(2.0, d.evidence().measured().get("nonFiniteCount"));
  }

  @Test
  void tooShortCurveIsHealthyWithInsufficientDataEvidence() {
    Diagnosis d = min(1.0, 50.0, 1e6);
    assertEquals(DiagnosisKind.HEALTHY, d.kind());
    assertEquals("insufficient_data", d.evidence().rule());
    assertEquals(DiagnosisKind.HEALTHY, min().kind());
  }

  @Test
  void constantCurveIsPlateau() {
    Diagnosis d = min(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
    assertEquals(DiagnosisKind.PLATEAU, d.kind());
    assertEquals("plateau_std", d.evidence().rule());
    assertEquals(0.0, d.evidence().measured().get("std"));
  }

  @Test
  void plateauNeedsTheGracePeriod() {
    DiagnosticsConfig config = DiagnosticsConfig.builder().minPoints(2).plateauGrace(8).build();
    Diagnosis d =
        CurveDiagnostics.of(config).diagnose(new double[] {1, 1, 1, 1, 1}, Direction.MINIMIZE);
    assertEquals(DiagnosisKind.HEALTHY, d.kind());
  }

  @Test
  void slowSteadyImprovementIsNotAPlateauUnlessRayRuleAloneIsConfigured() {
    double[] slow = {0.500, 0.497, 0.494, 0.491, 0.488, 0.485, 0.482, 0.479};
    assertEquals(DiagnosisKind.HEALTHY, min(slow).kind());
    DiagnosticsConfig rayOnly = DiagnosticsConfig.builder().plateauMinImprovementRtol(null).build();
    assertEquals(
        DiagnosisKind.PLATEAU,
        CurveDiagnostics.of(rayOnly).diagnose(slow, Direction.MINIMIZE).kind());
  }

  @Test
  void sustainedSpikesAgainstRunningMeanAreDiverging() {
    double[] c = new double[20];
    for (int i = 0; i < 16; i++) {
      c[i] = 1.0 - 0.01 * i;
    }
    c[16] = 5;
    c[17] = 9;
    c[18] = 20;
    c[19] = 40;
    Diagnosis d = min(c);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("spike", d.evidence().rule());
    assertTrue(d.evidence().measured().get("smallestRelativeDeviation") > 2.0);
  }

  @Test
  void singleSpikeThatRecoversIsNotDivergence() {
    double[] c = new double[30];
    for (int i = 0; i < c.length; i++) {
      c[i] = 1.0 * Math.exp(-0.08 * i) + 0.2;
    }
    c[20] = 5.0;
    assertTrue(min(c).kind() != DiagnosisKind.DIVERGING);
  }

  @Test
  void lossThatGivesBackItsProgressIsDiverging() {
    Diagnosis d = min(2.3, 1.5, 1.0, 0.7, 0.6, 0.9, 1.5, 2.0, 2.2, 2.3);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("lost_progress", d.evidence().rule());
    assertTrue(d.evidence().measured().get("givenBackShare") >= 0.8);
  }

  @Test
  void lossClimbingAboveItsStartIsDiverging() {
    Diagnosis d = min(1.0, 1.1, 1.3, 1.6, 2.0, 2.5, 3.1);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("worse_than_start", d.evidence().rule());
  }

  @Test
  void absoluteDivergenceThresholdFiresWhenConfigured() {
    double[] c = {1.0, 0.6, 0.5, 0.45, 0.5, 0.52};
    assertTrue(min(c).kind() != DiagnosisKind.DIVERGING);
    DiagnosticsConfig config = DiagnosticsConfig.builder().divergenceThreshold(0.51).build();
    Diagnosis d = CurveDiagnostics.of(config).diagnose(c, Direction.MINIMIZE);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("divergence_threshold", d.evidence().rule());
  }

  @Test
  void periodTwoSwingWithoutProgressIsOscillating() {
    double[] c = new double[24];
    for (int i = 0; i < c.length; i++) {
      c[i] = 1.0 + (i % 2 == 0 ? 0.2 : -0.2);
    }
    Diagnosis d = min(c);
    assertEquals(DiagnosisKind.OSCILLATING, d.kind());
    assertEquals("oscillation", d.evidence().rule());
    assertEquals(1.0, d.evidence().measured().get("signChangeShare"), 1e-12);
    assertEquals(0.4, d.evidence().measured().get("relativeAmplitude"), 1e-9);
  }

  @Test
  void swingingButClearlyImprovingCurveIsNotOscillating() {
    double[] c = new double[24];
    for (int i = 0; i < c.length; i++) {
      c[i] = 2.0 - 0.06 * i + (i % 2 == 0 ? 0.05 : -0.05);
    }
    assertEquals(DiagnosisKind.HEALTHY, min(c).kind());
  }

  @Test
  void maximiseDirectionReadsRisingAccuracyAsHealthyAndCollapseAsDiverging() {
    double[] rising = {0.1, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.83};
    assertEquals(DiagnosisKind.HEALTHY, diagnostics.diagnose(rising, Direction.MAXIMIZE).kind());
    assertEquals(DiagnosisKind.DIVERGING, diagnostics.diagnose(rising, Direction.MINIMIZE).kind());
    double[] collapsed = {0.1, 0.5, 0.8, 0.9, 0.9, 0.3, 0.1, 0.1, 0.1, 0.1};
    Diagnosis d = diagnostics.diagnose(collapsed, Direction.MAXIMIZE);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals(Direction.MAXIMIZE, d.direction());
  }

  @Test
  void evidenceMapsAreImmutable() {
    Diagnosis d = min(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
    assertThrows(UnsupportedOperationException.class, () -> d.evidence().measured().put("x", 1.0));
  }

  @Test
  void invalidThresholdIsRejectedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DiagnosticsConfig.builder().spikeRtol(-1).build());
    assertTrue(e.getMessage().contains("spikeRtol"), e.getMessage());
  }

  @Test
  void syntheticFamiliesAreClassifiedAsLabelled() {
    Random rnd = new Random(7);
    for (int k = 0; k < 20; k++) {
      assertEquals(
          DiagnosisKind.HEALTHY,
          min(SyntheticCurves.healthyLoss(100, 0.005, rnd)).kind(),
          "healthy loss " + k);
      assertEquals(DiagnosisKind.DIVERGING, min(SyntheticCurves.divergingLoss(100, rnd)).kind());
      assertEquals(DiagnosisKind.DIVERGING, min(SyntheticCurves.nanLoss(100, rnd)).kind());
      assertEquals(DiagnosisKind.PLATEAU, min(SyntheticCurves.plateauLoss(100, rnd)).kind());
      assertEquals(
          DiagnosisKind.OSCILLATING, min(SyntheticCurves.oscillatingLoss(100, rnd)).kind());
      assertEquals(
          DiagnosisKind.HEALTHY,
          diagnostics
              .diagnose(SyntheticCurves.healthyAccuracy(60, rnd), Direction.MAXIMIZE)
              .kind());
    }
  }
}
