package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.plugin.objective.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process on study files with a bash command objective. */
class CliEndToEndTest {

  /**
   * The objective: $1 = x, $2 = mode. Prints two intermediate steps (with an extra "loss" key),
   * then behaves by mode: ok (final record with an extra metric and a constraint), fail (exit 3),
   * slow (outlives the timeout, with a child process), missing (no "cost").
   */
  private static final String SCRIPT =
      """
      #!/bin/bash
      x=$1; mode=$2
      echo "starting trial $KNOBFLOW_TRIAL_NUMBER of $KNOBFLOW_STUDY"
      echo "{\\"step\\": 0, \\"score\\": $x, \\"cost\\": 9, \\"loss\\": 0.5}"
      echo "{\\"step\\": 1, \\"score\\": $((x * 2)), \\"cost\\": 9, \\"loss\\": 0.25}"
      echo "a warning on stderr" >&2
      case $mode in
        fail) echo "boom: bad mode" >&2; exit 3 ;;
        slow) sleep 30 & echo $! > sleep-$KNOBFLOW_TRIAL_NUMBER.pid; wait ;;
        missing) echo '{"score": 1}'; exit 0 ;;
      esac
      echo "{\\"score\\": $((x * 10)), \\"cost\\": $((4 - x)), \\"memory_mb\\": 12.5, \\"trial\\": $KNOBFLOW_TRIAL_NUMBER, \\"constraints\\": [0]}"
      """;

  private static final String STUDY =
      """
      name: e2e
      storage: journal:runs/journal.jsonl
      objectives:
        - {name: score, direction: maximize}
        - {name: cost, direction: minimize}
      space:
        x: {type: int, low: 1, high: 3}
        mode: {type: categorical, choices: [ok, fail, slow, missing]}
      sampler: {type: grid, values: {x: [1, 2]}}
      trials: 100
      constraints: [{metric: cost, max: 2.5}]
      objective:
        command: [bash, objective.sh, "{x}", "{mode}"]
        timeout: 1500ms
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path studyFile(String yaml) throws IOException {
    Files.writeString(dir.resolve("objective.sh"), SCRIPT);
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void tuneThenShowJsonThenStudiesOnTheJournal() throws Exception {
    Path file = studyFile(STUDY);
    CliRun tune = cli("tune", file.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.out().contains("stopped: sampler exhausted"), tune.out());
    assertTrue(tune.out().contains("COMPLETE 2, FAIL 6"), tune.out());
    Path journal = dir.resolve("runs/journal.jsonl");
    assertTrue(Files.isRegularFile(journal), "the journal resolves against the study file's dir");
    assertTrue(tune.out().contains("Storage: journal:" + journal), tune.out());

    CliRun show = cli("show", "e2e", "--storage", "journal:" + journal, "--format", "json");
    assertEquals(0, show.exit(), show.err());
    JsonNode root = JSON.readTree(show.out());
    assertEquals("e2e", root.at("/study/name").asText());
    assertEquals("maximize", root.at("/study/objectives/0/direction").asText());
    assertEquals("cost", root.at("/study/objectives/1/name").asText());
    JsonNode trials = root.get("trials");
    assertEquals(8, trials.size(), "the 2 x 4 grid, then exhausted");

    int feasibleOk = -1;
    List<String> modesSeen = new ArrayList<>();
    for (JsonNode t : trials) {
      String mode = t.at("/params/mode").asText();
      long x = t.at("/params/x").asLong();
      modesSeen.add(x + mode);
      assertTrue(t.has("start") && t.has("end"), t.toString());
      assertEquals(x * 2.0, t.at("/intermediate_values/1/score").asDouble(), 0.0, t.toString());
      assertEquals(0.25, t.at("/intermediate_metrics/1/loss").asDouble(), 0.0, t.toString());
      switch (mode) {
        case "ok" -> {
          assertEquals("COMPLETE", t.get("state").asText(), t.toString());
          assertEquals(10.0 * x, t.at("/values/score").asDouble(), 0.0);
          assertEquals(4.0 - x, t.at("/values/cost").asDouble(), 0.0);
          assertEquals(12.5, t.at("/metrics/memory_mb").asDouble(), 0.0);
          assertEquals(t.get("number").asInt(), t.at("/metrics/trial").asInt());
          // [0] from the record, then cost - 2.5 from the study file's constraint.
          assertEquals(0.0, t.at("/constraints/0").asDouble(), 0.0);
          assertEquals(4.0 - x - 2.5, t.at("/constraints/1").asDouble(), 1e-12);
          assertEquals(x == 2, t.get("feasible").asBoolean());
          if (x == 2) {
            feasibleOk = t.get("number").asInt();
          }
        }
        case "fail" -> {
          assertEquals("FAIL", t.get("state").asText());
          String reason = t.get("fail_reason").asText();
          assertTrue(reason.contains("exited with code 3"), reason);
          assertTrue(reason.contains("boom: bad mode"), reason);
        }
        case "slow" -> {
          assertEquals("FAIL", t.get("state").asText());
          assertTrue(t.get("fail_reason").asText().contains("timed out"), t.toString());
          long pid =
              Long.parseLong(
                  Files.readString(dir.resolve("sleep-" + t.get("number").asInt() + ".pid"))
                      .trim());
          assertFalse(Processes.isRunning(pid), "the timed-out command's child process was killed");
        }
        case "missing" -> {
          assertEquals("FAIL", t.get("state").asText());
          assertTrue(
              t.get("fail_reason").asText().contains("no value for objective 'cost'"),
              t.toString());
        }
        default -> throw new AssertionError(mode);
      }
    }
    assertEquals(8, modesSeen.stream().distinct().count(), "every grid point exactly once");
    final int best = feasibleOk;
    assertEquals(List.of(best), numbers(root.get("pareto_front")));

    CliRun table = cli("show", "e2e", "--storage", "journal:" + journal);
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("score (maximize), cost (minimize)"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("*  " + best + " ")), table.out());

    CliRun studies = cli("studies", "--storage", "journal:" + journal);
    assertEquals(0, studies.exit(), studies.err());
    assertTrue(studies.out().contains("e2e"), studies.out());
    assertTrue(studies.out().contains("COMPLETE 2, FAIL 6"), studies.out());

    // Running again adds nothing: the grid in the journal is exhausted.
    CliRun again = cli("tune", file.toString());
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("Done: 0 trials"), again.out());
  }

  @Test
  void commandLineOverridesTrialsAndStorage() throws Exception {
    Path file =
        studyFile(
            STUDY
                .replace("{type: grid, values: {x: [1, 2]}}", "{type: random}")
                .replace("[ok, fail, slow, missing]", "[ok]"));
    CliRun tune = cli("tune", file.toString(), "--trials", "3", "--storage", "memory");
    assertEquals(0, tune.exit(), tune.err());
    assertTrue(tune.out().contains("Done: 3 trials"), tune.out());
    assertTrue(tune.out().contains("Storage: memory"), tune.out());
    assertEquals(
        3, tune.out().lines().filter(l -> l.matches("\\[\\d/3] trial .*")).count(), tune.out());
    assertFalse(Files.exists(dir.resolve("runs")), "memory storage writes no journal");
  }

  @Test
  void aConstraintOnAMetricNeverReportedFailsEveryTrialAndExitsOne() throws Exception {
    Path file =
        studyFile(
            STUDY
                .replace("metric: cost", "metric: energy_wh")
                .replace(
                    "{type: grid, values: {x: [1, 2]}}",
                    "{type: grid, values: {x: [1], mode: [ok]}}"));
    CliRun tune = cli("tune", file.toString(), "--storage", "memory");
    assertEquals(1, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.out().contains("did not report the metric 'energy_wh'"), tune.out());
    assertTrue(tune.out().contains("cost, memory_mb"), "it lists what was reported: " + tune.out());
  }

  @Test
  void anInvalidStudyFileExitsTwoWithEveryProblemAndNoStackTrace() throws Exception {
    Path file =
        studyFile(
            STUDY.replace("high: 3", "high: 0").replace("direction: minimize", "direction: less"));
    CliRun tune = cli("tune", file.toString());
    assertEquals(2, tune.exit());
    assertTrue(tune.err().contains("space.x.low: must be less than high"), tune.err());
    assertTrue(tune.err().contains("objectives[1].direction"), tune.err());
    assertFalse(tune.err().contains("\tat "), "no stack trace without --verbose: " + tune.err());
  }

  @Test
  void usageErrorsAndUnknownStudiesExitTwo() throws Exception {
    assertEquals(2, cli("tune").exit());
    assertEquals(2, cli("tune", "x.yaml", "--trails", "3").exit());
    CliRun missing = cli("tune", dir.resolve("nope.yaml").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());

    Path file = studyFile(STUDY);
    assertEquals(0, cli("tune", file.toString(), "--trials", "1").exit());
    CliRun unknown =
        cli("show", "e2f", "--storage", "journal:" + dir.resolve("runs/journal.jsonl"));
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("did you mean 'e2e'?"), unknown.err());
    CliRun noJournal = cli("show", "e2e", "--storage", "journal:" + dir.resolve("none.jsonl"));
    assertEquals(2, noJournal.exit());
    assertTrue(noJournal.err().contains("no journal at"), noJournal.err());
  }

  @Test
  void helpAndVersionWorkEverywhere() {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"tune", "--help"},
            new String[] {"show", "--help"},
            new String[] {"studies", "--help"})) {
      CliRun r = cli(args);
      assertEquals(0, r.exit(), String.join(" ", args));
      assertTrue(r.out().contains("Usage: knobflow"), r.out());
    }
    CliRun version = cli("--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("knobflow "), version.out());
  }

  private static List<Integer> numbers(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
