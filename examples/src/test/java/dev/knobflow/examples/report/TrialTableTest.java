package dev.knobflow.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrialTableTest {

  private static FrozenTrial trial(int number, double acc, double lat, Map<String, Object> params) {
    return new FrozenTrial(
        number,
        TrialState.COMPLETE,
        List.of(acc, lat),
        params,
        Map.of(),
        new TreeMap<>(),
        List.of(),
        Map.of("model_size_bytes", 12345.0),
        Map.of(),
        Map.of(),
        Double.NaN,
        null,
        null,
        null,
        null);
  }

  @Test
  void rendersOneRightAlignedRowPerTrialWithObjectivesMetricsAndParams() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("eta", 0.0415);
    p.put("max_depth", 3L);
    String table =
        TrialTable.render(
            List.of(trial(7, 0.972, 0.41129, p), trial(12, 0.95, 0.2, Map.of())),
            List.of(Objective.maximize("accuracy"), Objective.minimize("latency_ms")),
            List.of("model_size_bytes"),
            List.of("eta", "max_depth"));
    assertEquals(
        String.join(
            "\n",
            "trial  accuracy  latency_ms  model_size_bytes     eta  max_depth",
            "    7    0.9720      0.4113             12345  0.0415          3",
            "   12    0.9500      0.2000             12345       -          -",
            ""),
        table);
  }

  @Test
  void tinyAndHugeNumbersUseScientificNotation() {
    assertEquals("1.000e-05", TrialTable.format(1e-5));
    assertEquals("2.500e+07", TrialTable.format(2.5e7 + 0.5));
    assertEquals("42", TrialTable.format(42.0));
    assertEquals("gbtree", TrialTable.format("gbtree"));
  }
}
