package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.advisor.space.Direction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Curves from really training a tiny MLP in Java ({@link TrainingSimulator}): Adam at learning rate
 * 1e-3 learns steadily, Adam at 1.0 bounces around, SGD at 10 on a regression blows up.
 */
class SimulatedTrainingCurvesTest {

  private final CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();

  @Test
  void adamAtSmallLearningRateIsHealthy() {
    for (long seed = 1; seed <= 4; seed++) {
      double[] curve = TrainingSimulator.standard(seed).train(1e-3, 40);
      assertEquals(
          DiagnosisKind.HEALTHY,
          diagnostics.diagnose(curve, Direction.MINIMIZE).kind(),
          "seed " + seed);
    }
  }

  @Test
  void adamAtLearningRateOneOscillates() {
    for (long seed = 2; seed <= 4; seed++) {
      double[] curve = TrainingSimulator.standard(seed).train(1.0, 40);
      assertEquals(
          DiagnosisKind.OSCILLATING,
          diagnostics.diagnose(curve, Direction.MINIMIZE).kind(),
          "seed " + seed);
    }
  }

  @Test
  void sgdAtLearningRateTenDivergesBothBeforeAndAfterNan() {
    double[] curve = new TrainingSimulator(256, 4, 32, 1).trainRegressionSgd(10, 40);
    Diagnosis full = diagnostics.diagnose(curve, Direction.MINIMIZE);
    assertEquals(DiagnosisKind.DIVERGING, full.kind());
    assertEquals("non_finite", full.evidence().rule());
    double[] beforeNan = new TrainingSimulator(256, 4, 32, 1).trainRegressionSgd(3, 40);
    int finite = 0;
    while (Double.isFinite(beforeNan[finite])) {
      finite++;
    }
    Diagnosis early = diagnostics.diagnose(Arrays.copyOf(beforeNan, finite), Direction.MINIMIZE);
    assertEquals(DiagnosisKind.DIVERGING, early.kind());
  }
}
