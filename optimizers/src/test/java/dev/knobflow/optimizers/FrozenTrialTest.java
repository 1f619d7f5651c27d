package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FrozenTrialTest {

  @Test
  void aSnapshotIsDeeplyImmutableAndIndependentOfItsInputs() {
    List<Object> theta = new ArrayList<>(List.of(0.5, 1.5));
    Map<String, Object> fixed = new LinkedHashMap<>(Map.of("x", 1.0));
    Map<String, Object> system = new LinkedHashMap<>();
    system.put("gp_theta_obj0", theta);
    system.put("fixed_params", fixed);
    List<Double> step0 = new ArrayList<>(List.of(0.9));
    TreeMap<Long, List<Double>> steps = new TreeMap<>(Map.of(0L, step0));
    FrozenTrial t =
        new FrozenTrial(
            3,
            TrialState.RUNNING,
            List.of(),
            Map.of(),
            Map.of(),
            steps,
            List.of(),
            Map.of(),
            Map.of("note", new ArrayList<>(List.of("a"))),
            system,
            Double.NaN,
            null,
            null,
            null,
            null);
    theta.add(9.0);
    fixed.put("y", 2.0);
    step0.add(0.1);

    assertEquals(List.of(0.5, 1.5), t.systemAttrs().get("gp_theta_obj0"));
    assertEquals(Map.of("x", 1.0), t.systemAttrs().get("fixed_params"));
    assertEquals(List.of(0.9), t.intermediateValues().get(0L));
    @SuppressWarnings("unchecked")
    List<Object> storedTheta = (List<Object>) t.systemAttrs().get("gp_theta_obj0");
    assertThrows(UnsupportedOperationException.class, () -> storedTheta.add(1.0));
    @SuppressWarnings("unchecked")
    Map<String, Object> storedFixed = (Map<String, Object>) t.systemAttrs().get("fixed_params");
    assertThrows(UnsupportedOperationException.class, () -> storedFixed.put("z", 0));
    @SuppressWarnings("unchecked")
    List<Object> note = (List<Object>) t.userAttrs().get("note");
    assertThrows(UnsupportedOperationException.class, () -> note.add("b"));
    assertThrows(
        UnsupportedOperationException.class, () -> t.intermediateValues().get(0L).add(0.0));
  }

  @Test
  void aSnapshotBuiltFromAnotherSharesItsFrozenMapsButDeepFreezesAttributes() {
    List<Object> choices = new ArrayList<>(List.of("a", "b"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("x", 1.0);
    params.put("choices", choices);
    Map<String, Object> attrs = new LinkedHashMap<>(Map.of("theta", new ArrayList<>(List.of(1))));
    FrozenTrial first = trial(params, attrs);
    FrozenTrial second = trial(first.params(), first.systemAttrs());
    // A snapshot's params are only shallowly frozen: used as attributes they are frozen deeply.
    FrozenTrial paramsAsAttrs = trial(Map.of(), first.params());
    choices.add("c");

    assertSame(first.params(), second.params());
    assertSame(first.systemAttrs(), second.systemAttrs());
    assertEquals(List.of("a", "b"), paramsAsAttrs.systemAttrs().get("choices"));
    assertThrows(UnsupportedOperationException.class, () -> second.params().remove("x"));
  }

  private static FrozenTrial trial(Map<String, Object> params, Map<String, Object> systemAttrs) {
    return new FrozenTrial(
        0,
        TrialState.RUNNING,
        List.of(),
        params,
        Map.of(),
        new TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        systemAttrs,
        Double.NaN,
        null,
        null,
        null,
        null);
  }
}
