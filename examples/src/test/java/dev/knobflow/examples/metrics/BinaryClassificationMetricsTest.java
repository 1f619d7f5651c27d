package dev.knobflow.examples.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryClassificationMetricsTest {

  @Test
  void accuracyLogLossAndAucMatchHandComputedValues() {
    float[] p = {0.9f, 0.4f, 0.6f, 0.2f};
    float[] y = {1, 1, 0, 0};
    BinaryClassificationMetrics m = BinaryClassificationMetrics.of(p, y);
    assertEquals(0.5, m.accuracy(), 1e-12);
    double expectedLogLoss =
        -(Math.log(0.9f) + Math.log(0.4f) + Math.log(1 - 0.6f) + Math.log(1 - 0.2f)) / 4;
    assertEquals(expectedLogLoss, m.logLoss(), 1e-6);
    // Positive/negative pairs ranked right: (0.9>0.6), (0.9>0.2), (0.4>0.2); wrong: (0.4<0.6).
    assertEquals(0.75, m.auc(), 1e-12);
  }

  @Test
  void tiedScoresCountHalfInAuc() {
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.of(new float[] {0.5f, 0.5f}, new float[] {1, 0});
    assertEquals(0.5, m.auc(), 1e-12);
  }

  @Test
  void aucIsNanWithOneClassAndLogLossStaysFiniteForCertainMistakes() {
    BinaryClassificationMetrics m =
        BinaryClassificationMetrics.of(new float[] {0f, 1f}, new float[] {1, 1});
    assertTrue(Double.isNaN(m.auc()));
    assertTrue(Double.isFinite(m.logLoss()) && m.logLoss() > 10);
  }

  @Test
  void labelsOtherThanZeroOrOneAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BinaryClassificationMetrics.of(new float[] {0.1f}, new float[] {2}));
    assertEquals("binary labels must be 0 or 1, but row 0 has 2.0", e.getMessage());
  }
}
