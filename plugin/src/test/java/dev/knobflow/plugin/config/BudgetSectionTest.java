package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BudgetSectionTest {
  private static final Path BASE = Path.of("/studies/demo");

  private static String study(String extra) {
    return """
        name: b
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: float, low: 0, high: 1}
        trials: 3
        objective:
          command: [python3, train.py, "{x}"]
        %s
        """
        .formatted(extra);
  }

  private static StudyConfig parse(String yaml) {
    return StudyFileParser.standard().parse(yaml, BASE, "study.yaml");
  }

  private static String problems(String yaml) {
    StudyFileException e = assertThrows(StudyFileException.class, () -> parse(yaml));
    return e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  @Test
  void anySubsetOfLimitsIsParsed() {
    BudgetSpec all =
        parse(study("budget: {gpu_hours: 2, energy_kwh: 1.5, co2_kg: 0.4, wall: 3h}")).budget();
    assertEquals(OptionalDouble.of(2), all.gpuHours());
    assertEquals(OptionalDouble.of(1.5), all.energyKwh());
    assertEquals(OptionalDouble.of(0.4), all.co2Kg());
    assertEquals(Optional.of(Duration.ofHours(3)), all.wall());

    BudgetSpec wall = parse(study("budget: {wall: 90m}")).budget();
    assertEquals(Optional.of(Duration.ofMinutes(90)), wall.wall());
    assertTrue(wall.gpuHours().isEmpty());
    assertTrue(parse(study("")).budget().isEmpty());
  }

  @Test
  void badLimitsNameTheirPaths() {
    String p = problems(study("budget: {gpu_hours: -1, energy_kwh: lots, wall: 3, co2: 1}"));
    assertTrue(p.contains("budget.gpu_hours: must be a positive number, got -1"), p);
    assertTrue(!p.contains("set at least one"), p);
    assertTrue(p.contains("budget.energy_kwh"), p);
    assertTrue(p.contains("budget.wall"), p);
    assertTrue(p.contains("budget.co2: unknown key"), p);
    assertTrue(p.contains("allowed: gpu_hours, energy_kwh, co2_kg, wall"), p);
  }

  @Test
  void energyLimitsNeedMetering() {
    String p = problems(study("energy: {enabled: false}\nbudget: {energy_kwh: 1}"));
    assertTrue(p.contains("budget: gpu_hours, energy_kwh and co2_kg are counted"), p);
    // Wall time needs no metering.
    assertEquals(
        Optional.of(Duration.ofHours(1)),
        parse(study("energy: {enabled: false}\nbudget: {wall: 1h}")).budget().wall());
  }

  @Test
  void trainedUnitsAreAPbtBudget() {
    String pbt = "scheduler: {type: pbt, population: 4, interval: 2}\n";
    BudgetSpec spec = parse(study(pbt + "budget: {trained: 144}")).budget();
    assertEquals(OptionalDouble.of(144), spec.trained());
    assertTrue(!spec.isEmpty() && !spec.needsMetering());
    // Needs no energy metering.
    assertEquals(
        OptionalDouble.of(8),
        parse(study(pbt + "energy: {enabled: false}\nbudget: {trained: 8}")).budget().trained());
    assertTrue(parse(study(pbt)).budget().trained().isEmpty());
  }

  @Test
  void trainedUnitsNeedAPbtSchedulerAndAPositiveNumber() {
    String none = problems(study("budget: {trained: 10}"));
    assertTrue(
        none.contains("budget.trained: counts the budget units a PBT population trains")
            && none.contains("needs scheduler: {type: pbt, ...}; the study's scheduler is none"),
        none);
    String asha =
        problems(
            study("scheduler: {type: asha, min_budget: 1, max_budget: 9}\nbudget: {trained: 10}"));
    assertTrue(asha.contains("budget.trained:") && asha.contains("scheduler is 'asha'"), asha);
    String negative =
        problems(
            study("scheduler: {type: pbt, population: 4, interval: 2}\nbudget: {trained: -4}"));
    assertTrue(negative.contains("budget.trained: must be a positive number, got -4"), negative);
  }
}
