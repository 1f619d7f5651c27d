package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.advisor.space.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Curves recorded from the repository's own example, {@code examples/command/train.py} (full-batch
 * gradient descent of a small network on iris), at a good and at bad learning rates. Each fixture
 * names the command that produced it.
 */
class RecordedExampleCurvesTest {

  private final CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();

  private static double[] curve(String lr) throws IOException {
    String name = "/curves/recorded/iris-mlp-lr-" + lr + ".json";
    try (InputStream in = RecordedExampleCurvesTest.class.getResourceAsStream(name)) {
      JsonNode node = new ObjectMapper().readTree(in);
      double[] values = new double[node.get("values").size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = node.get("values").get(i).asDouble();
      }
      return values;
    }
  }

  private DiagnosisKind kind(double[] values) {
    return diagnostics.diagnose(values, Direction.MINIMIZE).kind();
  }

  @Test
  void aGoodLearningRateIsHealthy() throws IOException {
    assertEquals(DiagnosisKind.HEALTHY, kind(curve("0.1")));
  }

  @Test
  void lr8IsFlaggedWhileItSwingsAndHealthyOnceItSettles() throws IOException {
    double[] values = curve("8");
    // The first 16 epochs swing between 0.6 and 7.5: flagged (as oscillating; a divergence verdict
    // waits for the swing to hold worse than the start at three reports in a row).
    assertEquals(DiagnosisKind.OSCILLATING, kind(Arrays.copyOf(values, 16)));
    assertEquals(DiagnosisKind.HEALTHY, kind(values));
  }

  @Test
  void lr30And100EndFarWorseThanTheyStarted() throws IOException {
    for (String lr : new String[] {"30", "100"}) {
      DiagnosisKind kind = kind(curve(lr));
      assertTrue(
          kind == DiagnosisKind.DIVERGING || kind == DiagnosisKind.OSCILLATING, lr + ": " + kind);
    }
  }
}
