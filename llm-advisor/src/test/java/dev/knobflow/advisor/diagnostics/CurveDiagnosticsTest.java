package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.space.Direction;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurveDiagnosticsTest {

  private final CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();

  /** The shape rules alone: no grace period, no patience (tested below with the defaults). */
  private final CurveDiagnostics rulesAlone =
      CurveDiagnostics.of(
          DiagnosticsConfig.builder().divergenceGrace(0).divergencePatience(1).build());

  private Diagnosis ruleAlone(double... values) {
    return rulesAlone.diagnose(values, Direction.MINIMIZE);
  }

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
    Diagnosis d = ruleAlone(2.3, 1.5, 1.0, 0.7, 0.6, 0.9, 1.5, 2.0, 2.2, 2.3);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals("lost_progress", d.evidence().rule());
    assertTrue(d.evidence().measured().get("givenBackShare") >= 0.8);
  }

  @Test
  void lossClimbingAboveItsStartIsDiverging() {
    Diagnosis d = ruleAlone(1.0, 1.1, 1.3, 1.6, 2.0, 2.5, 3.1);
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
    assertEquals(DiagnosisKind.DIVERGING, rulesAlone.diagnose(rising, Direction.MINIMIZE).kind());
    double[] collapsed = {0.1, 0.5, 0.8, 0.9, 0.9, 0.3, 0.1, 0.1, 0.1, 0.1};
    Diagnosis d = rulesAlone.diagnose(collapsed, Direction.MAXIMIZE);
    assertEquals(DiagnosisKind.DIVERGING, d.kind());
    assertEquals(Direction.MAXIMIZE, d.direction());
  }

  @Test
  void noShapeVerdictOfDivergenceBeforeTheGracePeriodButNonFiniteValuesAtOnce() {
    // Climbs from the start: the rule fires from point 5 on, the default waits for 10 points.
    double[] climbing = {1.0, 1.1, 1.3, 1.6, 2.0, 2.5, 3.1, 3.8, 4.6, 5.5, 6.5, 7.6};
    for (int n = 5; n < 12; n++) {
      assertTrue(
          min(java.util.Arrays.copyOf(climbing, n)).kind() != DiagnosisKind.DIVERGING,
          "point " + n);
    }
    assertEquals(DiagnosisKind.DIVERGING, min(climbing).kind(), "fired at 10, 11 and 12");
    assertEquals("non_finite", min(1.0, 0.9, Double.NaN).evidence().rule());
  }

  @Test
  void oneBadWindowIsNotDivergenceTheRuleMustHoldAtThreeReportsInARow() {
    // Lost progress from point 12 on (at point 11 the window still holds most of the progress).
    double[] c = {2.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.75, 0.7, 0.68, 0.66, 2.5, 2.6, 2.7, 2.8};
    assertTrue(ruleAlone(java.util.Arrays.copyOf(c, 11)).kind() != DiagnosisKind.DIVERGING);
    assertEquals("lost_progress", ruleAlone(java.util.Arrays.copyOf(c, 12)).evidence().rule());
    assertTrue(min(java.util.Arrays.copyOf(c, 12)).kind() != DiagnosisKind.DIVERGING, "one");
    assertTrue(min(java.util.Arrays.copyOf(c, 13)).kind() != DiagnosisKind.DIVERGING, "two");
    assertEquals(DiagnosisKind.DIVERGING, min(c).kind(), "three reports in a row");
  }

  @Test
  void aCurveComingBackIsNotCalledDivergingAtThatReport() {
    // Far above its start for a long stretch, then the last value falls below the mean of the
    // three before it: training is recovering (as high learning rates in examples/command did,
    // to finish among the best).
    double[] c = {0.64, 0.32, 0.46, 8.4, 11.7, 11.7, 11.7, 11.7, 11.7, 11.7, 11.7, 11.7, 2.5};
    assertEquals(
        DiagnosisKind.DIVERGING, min(java.util.Arrays.copyOf(c, 12)).kind(), "before it turned");
    assertTrue(min(c).kind() != DiagnosisKind.DIVERGING, min(c).toString());
  }

  @Test
  void theBestTrialOfARecordedCommandStudyIsNeverCalledDiverging() {
    // examples/command/train.py, lr 5.17, hidden 8, 40 epochs (bench/advisor/curves/command.csv,
    // seed 1, trial 11): ten chaotic epochs, then the study's best final loss. The thresholds
    // before the grace period and patience stopped it at epoch 5.
    double[] best = {
      0.9496, 0.4882, 1.4735, 1.9984, 2.6806, 2.2508, 2.3675, 2.4909, 1.7964, 0.7567, 0.4366, 0.748,
      0.7066, 0.3642, 0.2576, 0.3474, 0.2562, 0.218, 0.2954, 0.187, 0.1879, 0.0992, 0.0692, 0.0594,
      0.0563, 0.0545, 0.0529, 0.0516, 0.0505, 0.0494, 0.0484, 0.0474, 0.0465, 0.0455, 0.0446,
      0.0436, 0.0427, 0.0417, 0.0408, 0.04
    };
    assertEquals(DiagnosisKind.DIVERGING, ruleAlone(java.util.Arrays.copyOf(best, 5)).kind());
    for (int n = 1; n <= best.length; n++) {
      assertTrue(
          min(java.util.Arrays.copyOf(best, n)).kind() != DiagnosisKind.DIVERGING, "point " + n);
    }
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
