package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.samplers.GridSampler;
import dev.knobflow.plugin.objective.MetricConstraint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StudyFileParserTest {
  private static final Path BASE = Path.of("/studies/demo");

  private static final String VALID =
      """
      name: xgb-demo
      storage: journal:.knobflow/journal.jsonl
      seed: 42
      objectives:
        - {name: accuracy, direction: maximize}
        - {name: latency_ms, direction: minimize}
      space:
        eta: {type: float, low: 0.01, high: 0.3, log: true}
        max_depth: {type: int, low: 2, high: 10}
        booster: {type: categorical, choices: [gbtree, dart]}
      sampler: {type: random}
      trials: 60
      timeout: 10m
      parallelism: 1
      constraints: [{metric: latency_ms, max: 5}]
      objective:
        command: [python3, train.py, --eta, "{eta}", --max-depth, "{max_depth}"]
        timeout: 5m
      """;

  private static StudyConfig parse(String yaml) {
    return StudyFileParser.standard().parse(yaml, BASE, "study.yaml");
  }

  private static StudyFileException problems(String yaml) {
    return assertThrows(StudyFileException.class, () -> parse(yaml));
  }

  private static String messages(StudyFileException e) {
    return e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  private static void assertProblem(StudyFileException e, String path, String... fragments) {
    Problem p =
        e.problems().stream()
            .filter(x -> x.path().equals(path))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no problem at " + path + " in:\n" + messages(e)));
    for (String f : fragments) {
      assertTrue(p.message().contains(f), () -> "'" + f + "' not in " + p);
    }
  }

  @Test
  void theContractExampleParsesIntoEveryField() {
    StudyConfig c = parse(VALID);
    assertEquals("xgb-demo", c.name());
    assertEquals(new StorageSpec.Journal(BASE.resolve(".knobflow/journal.jsonl")), c.storage());
    assertEquals(OptionalLong.of(42), c.seed());
    assertEquals(Direction.MAXIMIZE, c.objectives().get(0).direction());
    assertEquals("latency_ms", c.objectives().get(1).name());
    assertEquals(new FloatDistribution(0.01, 0.3, true, 0), c.space().distributions().get("eta"));
    assertEquals(new IntDistribution(2, 10, false, 1), c.space().distributions().get("max_depth"));
    assertEquals(
        CategoricalDistribution.of("gbtree", "dart"), c.space().distributions().get("booster"));
    assertEquals(
        List.of("eta", "max_depth", "booster"), List.copyOf(c.space().distributions().keySet()));
    assertEquals("random", c.sampler().type());
    assertEquals(60, c.trials().getAsInt());
    assertEquals(Duration.ofMinutes(10), c.timeout().get());
    assertEquals(List.of(MetricConstraint.atMost("latency_ms", 5)), c.constraints());
    ObjectiveSpec.Command cmd = assertInstanceOf(ObjectiveSpec.Command.class, c.objective());
    assertEquals("{max_depth}", cmd.command().get(5));
    assertEquals(Duration.ofMinutes(5), cmd.timeout().get());
    assertEquals(BASE, c.baseDirectory());
  }

  @Test
  void unknownKeyIsAnErrorThatSuggestsTheClosestKnownKey() {
    StudyFileException e =
        problems(
            VALID.replace("log: true", "lgo: true").replace("parallelism: 1", "paralelism: 1"));
    assertProblem(e, "space.eta.lgo", "unknown key", "did you mean 'log'?");
    assertProblem(e, "paralelism", "did you mean 'parallelism'?");
  }

  @Test
  void wrongValueTypeNamesThePathAndWhatIsAllowed() {
    StudyFileException e =
        problems(VALID.replace("high: 10", "high: ten").replace("seed: 42", "seed: [1]"));
    assertProblem(e, "space.max_depth.high", "must be a whole number", "'ten'");
    assertProblem(e, "seed", "must be a whole number");
  }

  @Test
  void lowNotBelowHighIsReportedAtTheLowPath() {
    StudyFileException e = problems(VALID.replace("low: 0.01, high: 0.3", "low: 0.5, high: 0.3"));
    assertProblem(e, "space.eta.low", "must be less than high");
    assertTrue(e.getMessage().contains("space.eta.low: must be less than high"), e.getMessage());
  }

  @Test
  void logScaleNeedsAPositiveLow() {
    StudyFileException e = problems(VALID.replace("low: 0.01", "low: 0"));
    assertProblem(e, "space.eta.low", "greater than 0 when log is true");
  }

  @Test
  void emptyChoicesAreRejected() {
    StudyFileException e = problems(VALID.replace("choices: [gbtree, dart]", "choices: []"));
    assertProblem(e, "space.booster.choices", "at least one value");
  }

  @Test
  void unknownSamplerTypeListsTheAllowedOnes() {
    StudyFileException e = problems(VALID.replace("type: random", "type: randon"));
    assertProblem(
        e,
        "sampler.type",
        "unknown sampler 'randon'",
        "random, grid, sobol",
        "did you mean 'random'?");
  }

  @Test
  void samplerKeysAreCheckedPerType() {
    StudyFileException e =
        problems(VALID.replace("{type: random}", "{type: sobol, scrambel: false}"));
    assertProblem(e, "sampler.scrambel", "did you mean 'scramble'?");
  }

  @Test
  void badDurationsSayWhichFormsAreAccepted() {
    StudyFileException e =
        problems(
            VALID
                .replace("timeout: 10m", "timeout: 10 minutes")
                .replace("timeout: 5m", "timeout: 300"));
    assertProblem(e, "timeout", "500ms, 90s, 10m, 1h30m");
    assertProblem(e, "objective.timeout", "add a unit");
  }

  @Test
  void aMissingObjectiveSectionIsReported() {
    String yaml = VALID.substring(0, VALID.indexOf("objective:\n"));
    StudyFileException e = problems(yaml);
    assertProblem(e, "objective", "missing", "command", "class");
  }

  @Test
  void aBadDirectionIsReportedWithItsIndex() {
    StudyFileException e =
        problems(VALID.replace("direction: minimize", "direction: minimise-ish"));
    assertProblem(e, "objectives[1].direction", "minimize or maximize", "'minimise-ish'");
  }

  @Test
  void severalProblemsAreReportedTogether() {
    StudyFileException e =
        problems(
            VALID
                .replace("type: random", "type: bayes")
                .replace("low: 2", "low: 20")
                .replace("trials: 60", "trials: 0")
                .replace("direction: maximize", "direction: up"));
    assertEquals(4, e.problems().size(), messages(e));
    assertTrue(e.getMessage().startsWith("study.yaml has 4 problems:"), e.getMessage());
    assertProblem(e, "space.max_depth.low", "less than high");
    assertProblem(e, "trials", "at least 1");
    assertProblem(e, "objectives[0].direction");
    assertProblem(e, "sampler.type");
  }

  @Test
  void unknownPlaceholdersInTheCommandAreErrorsWithASuggestion() {
    StudyFileException e = problems(VALID.replace("\"{max_depth}\"", "\"{max_dept}\""));
    assertProblem(
        e, "objective.command[5]", "unknown placeholder {max_dept}", "did you mean 'max_depth'?");
  }

  @Test
  void storageStringsAreParsedWithTheMlflowTrackingSection() {
    assertInstanceOf(
        StorageSpec.Memory.class,
        parse(VALID.replace("journal:.knobflow/journal.jsonl", "memory")).storage());
    assertEquals(
        new StorageSpec.Journal(Path.of("/abs/j.jsonl")),
        parse(VALID.replace("journal:.knobflow/journal.jsonl", "journal:/abs/j.jsonl")).storage());
    assertEquals(
        new StorageSpec.Journal(BASE.resolve(".knobflow/journal.jsonl")),
        parse(VALID.replace("storage: journal:.knobflow/journal.jsonl\n", "")).storage());
    assertEquals(
        new StorageSpec.Mlflow("", ""),
        parse(VALID.replace("journal:.knobflow/journal.jsonl", "mlflow")).storage());
    assertEquals(
        new StorageSpec.Mlflow("http://h:5000", "exp"),
        parse(
                VALID.replace("journal:.knobflow/journal.jsonl", "mlflow")
                    + "tracking: {uri: 'http://h:5000', experiment: exp}\n")
            .storage());
    assertProblem(
        problems(
            VALID.replace("journal:.knobflow/journal.jsonl", "mlflow")
                + "tracking: {uri: 'file:/tmp', experment: x}\n"),
        "tracking.uri",
        "http:// or https://");
    assertProblem(
        problems(
            VALID.replace("journal:.knobflow/journal.jsonl", "mlflow")
                + "tracking: {uri: 'http://h:5000', experment: x}\n"),
        "tracking.experment",
        "did you mean 'experiment'");
    assertProblem(
        problems(VALID.replace("journal:.knobflow/journal.jsonl", "jornal:x")),
        "storage",
        "memory, journal:<path>");
  }

  @Test
  void gridValuesMustBeParametersAndInsideTheirRange() {
    String grid =
        VALID
            .replace("{type: random}", "{type: grid, values: {eta: [0.05, 0.5], max_dpth: [3]}}")
            .replace("trials: 60\n", "");
    StudyFileException e = problems(grid);
    assertProblem(e, "sampler.values.eta", "0.5 is outside space.eta");
    assertProblem(
        e, "sampler.values.max_dpth", "not a parameter of space", "did you mean 'max_depth'?");
  }

  @Test
  void gridWithoutValuesForAContinuousFloatIsAnError() {
    StudyFileException e = problems(VALID.replace("{type: random}", "{type: grid}"));
    assertProblem(e, "space.eta", "needs a step", "sampler.values.eta");
  }

  @Test
  void gridSpecBuildsAFiniteGridAndTrialsMayBeOmitted() {
    StudyConfig c =
        parse(
            VALID
                .replace("{type: random}", "{type: grid, values: {eta: [0.05, 0.1]}}")
                .replace("trials: 60\n", "")
                .replace("timeout: 10m\n", ""));
    assertTrue(c.trials().isEmpty());
    GridSampler grid =
        assertInstanceOf(
            GridSampler.class, SamplerFactory.standard().create(c.sampler(), c.space(), c.seed()));
    assertEquals(2 * 9 * 2, grid.size());
  }

  @Test
  void trialsOrTimeoutIsRequiredForAnEndlessSampler() {
    StudyFileException e =
        problems(VALID.replace("trials: 60\n", "").replace("timeout: 10m\n", ""));
    assertProblem(e, "trials", "missing");
  }

  @Test
  void constraintsNeedAMetricAndABound() {
    StudyFileException e =
        problems(
            VALID.replace(
                "[{metric: latency_ms, max: 5}]",
                "[{metric: latency_ms}, {max: 3}, {metric: x, min: 5, max: 1}]"));
    assertProblem(e, "constraints[0]", "give max, min or both");
    assertProblem(e, "constraints[1].metric", "missing");
    assertProblem(e, "constraints[2].min", "must not exceed max");
  }

  @Test
  void invalidYamlNamesTheLine() {
    StudyFileException e = problems("name: x\nobjectives: [\n");
    assertTrue(e.problems().get(0).path().startsWith("line "), messages(e));
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void duplicateKeysAreErrors() {
    StudyFileException e = problems(VALID + "trials: 5\n");
    assertTrue(e.getMessage().contains("trials"), e.getMessage());
  }

  @Test
  void classObjectiveRejectsCommandOnlyKeys() {
    String yaml =
        VALID.substring(0, VALID.indexOf("objective:\n"))
            + "objective: {class: com.example.Foo, timeout: 5m}\n";
    assertProblem(problems(yaml), "objective.timeout", "command objectives only");
    String both =
        VALID.substring(0, VALID.indexOf("objective:\n"))
            + "objective: {class: com.example.Foo, command: [x]}\n";
    assertProblem(problems(both), "objective", "not both");
  }
}
