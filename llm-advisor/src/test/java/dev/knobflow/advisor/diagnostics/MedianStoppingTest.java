package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.advisor.space.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The median stopping rule of {@link CurveDiagnostics#diagnose(Curve, Direction, List)}. */
class MedianStoppingTest {

  private static final CurveDiagnostics DEFAULTS = CurveDiagnostics.withDefaults();

  /** A smooth loss from {@code start} falling by {@code rate} a step, {@code n} steps. */
  private static double[] loss(double start, double rate, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = start * Math.pow(1 - rate, i) + 0.05;
    }
    return v;
  }

  /** Five completed trials that learn fast: losses under 0.1 from step 10 on. */
  private static List<Curve> completedFastLearners(int n) {
    List<Curve> out = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      out.add(Curve.ofValues(loss(1.0 + 0.1 * k, 0.3, n)));
    }
    return out;
  }

  @Test
  void aSlowLearnerClearlyBehindTheCompletedTrialsAfterTheWarmUpIsUnderperforming() {
    Curve slow = Curve.ofValues(loss(1.0, 0.01, 12));
    Diagnosis d = DEFAULTS.diagnose(slow, Direction.MINIMIZE, completedFastLearners(40));
    assertEquals(DiagnosisKind.UNDERPERFORMING, d.kind());
    assertEquals("behind_median", d.evidence().rule());
    assertEquals(5.0, d.evidence().measured().get("completedTrials"));
    // On its own the curve is healthy: only the comparison stops it.
    assertEquals(DiagnosisKind.HEALTHY, DEFAULTS.diagnose(slow, Direction.MINIMIZE).kind());
  }

  @Test
  void beforeTheWarmUpNoTrialIsJudged() {
    Curve slow = Curve.ofValues(loss(1.0, 0.01, 4));
    assertEquals(
        DiagnosisKind.HEALTHY,
        DEFAULTS.diagnose(slow, Direction.MINIMIZE, completedFastLearners(40)).kind());
  }

  @Test
  void fewerCompletedTrialsThanTheMinimumOrTheRuleSwitchedOffJudgeNothing() {
    Curve slow = Curve.ofValues(loss(1.0, 0.01, 12));
    List<Curve> four = completedFastLearners(40).subList(0, 4);
    assertEquals(DiagnosisKind.HEALTHY, DEFAULTS.diagnose(slow, Direction.MINIMIZE, four).kind());
    CurveDiagnostics off =
        CurveDiagnostics.of(DiagnosticsConfig.builder().medianMinTrials(0).build());
    assertEquals(
        DiagnosisKind.HEALTHY,
        off.diagnose(slow, Direction.MINIMIZE, completedFastLearners(40)).kind());
  }

  @Test
  void completedTrialsThatStoppedBeforeTheStepDoNotCount() {
    Curve slow = Curve.ofValues(loss(1.0, 0.01, 12));
    assertEquals(
        DiagnosisKind.HEALTHY,
        DEFAULTS.diagnose(slow, Direction.MINIMIZE, completedFastLearners(11)).kind());
  }

  @Test
  void aTrialWithinTheMarginOfTheMedianGoesOn() {
    // Slightly worse than the completed trials' median, well within the margin.
    double[] close = loss(1.0, 0.3, 12);
    for (int i = 0; i < close.length; i++) {
      close[i] += 0.01;
    }
    assertEquals(
        DiagnosisKind.HEALTHY,
        DEFAULTS
            .diagnose(Curve.ofValues(close), Direction.MINIMIZE, completedFastLearners(40))
            .kind());
  }

  @Test
  void theTrialMustBeBehindAtEachOfTheLastPatienceReports() {
    // Its best so far was ahead until the last report, then the others' best moved past it.
    CurveDiagnostics patient =
        CurveDiagnostics.of(
            DiagnosticsConfig.builder().medianPatience(3).medianMarginRtol(0.1).build());
    List<Curve> completed = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      double[] v = new double[20];
      java.util.Arrays.fill(v, 1.0);
      v[11] = 0.2; // every completed trial drops at step 11 (index 11)
      completed.add(Curve.ofValues(v));
    }
    double[] mine = new double[12];
    java.util.Arrays.fill(mine, 0.9);
    assertEquals(
        DiagnosisKind.PLATEAU,
        patient.diagnose(Curve.ofValues(mine), Direction.MINIMIZE, completed).kind());
    CurveDiagnostics impatient =
        CurveDiagnostics.of(
            DiagnosticsConfig.builder().medianPatience(1).medianMarginRtol(0.1).build());
    assertEquals(
        DiagnosisKind.UNDERPERFORMING,
        impatient.diagnose(Curve.ofValues(mine), Direction.MINIMIZE, completed).kind());
  }

  @Test
  void forAnAccuracyHigherIsBetter() {
    List<Curve> completed = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      double[] v = new double[12];
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.9 + 0.005 * k;
      }
      completed.add(Curve.ofValues(v));
    }
    double[] chance = new double[12];
    java.util.Arrays.fill(chance, 0.1);
    double[] good = new double[12];
    java.util.Arrays.fill(good, 0.95);
    assertEquals(
        DiagnosisKind.UNDERPERFORMING,
        DEFAULTS.diagnose(Curve.ofValues(chance), Direction.MAXIMIZE, completed).kind());
    assertEquals(
        DiagnosisKind.PLATEAU,
        DEFAULTS.diagnose(Curve.ofValues(good), Direction.MAXIMIZE, completed).kind());
  }

  @Test
  void aDivergingCurveStaysDiverging() {
    double[] nan = loss(1.0, 0.01, 12);
    nan[11] = Double.NaN;
    assertEquals(
        DiagnosisKind.DIVERGING,
        DEFAULTS
            .diagnose(Curve.ofValues(nan), Direction.MINIMIZE, completedFastLearners(40))
            .kind());
  }

  @Test
  void invalidThresholdsNameTheField() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> DiagnosticsConfig.builder().medianMarginRtol(-0.1).build());
    assertEquals("medianMarginRtol must be a finite number >= 0; got -0.1", e.getMessage());
  }
}
