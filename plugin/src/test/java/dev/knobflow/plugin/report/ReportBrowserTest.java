package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.plugin.testing.HeadlessChromium;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive report in a real browser (Debian's {@code chromium}, headless): the page loads
 * with no script error and every chart reports that Plotly drew it. Skipped, with a message, where
 * chromium is not installed ({@code .ci/run} installs it).
 */
class ReportBrowserTest {

  /** What a page reports once every chart has been tried. */
  static final String STATE =
      "(() => !document.body || document.body.dataset.reportDone !== 'true' ? null : ({"
          + " errors: document.getElementById('report-errors').textContent,"
          + " charts: [...document.querySelectorAll('.chart')].map(c => c.dataset.chart),"
          + " drawn: [...document.querySelectorAll('.chart[data-rendered=true]')]"
          + ".map(c => c.dataset.chart),"
          + " svg: document.querySelectorAll('.chart .main-svg').length }))()";

  @TempDir Path dir;

  @BeforeAll
  static void needsChromium() {
    assumeTrue(
        HeadlessChromium.executable().isPresent(),
        "chromium is not installed (apt-get install -y chromium): the browser test is skipped");
  }

  @Test
  void aThreeObjectiveReportDrawsEveryChartIncludingThe3dFrontWithNoScriptError() throws Exception {
    JsonNode state = load(ReportFixtures.study("three", 3, 40).trials(), 3);

    assertAllDrawn(state);
    assertTrue(
        names(state.get("charts"))
            .containsAll(
                List.of(
                    "pareto-3d",
                    "pareto-0-1",
                    "pareto-0-2",
                    "pareto-1-2",
                    "hypervolume",
                    "history-0",
                    "parallel",
                    "importance",
                    "contour",
                    "intermediate",
                    "timeline",
                    "edf-0",
                    "energy")),
        state.toString());
  }

  @Test
  void aSingleObjectiveReportDrawsHistorySlicesContourAndEdf() throws Exception {
    JsonNode state = load(ReportFixtures.study("one", 1, 30).trials(), 1);

    assertAllDrawn(state);
    Set<String> charts = names(state.get("charts"));
    assertTrue(
        charts.containsAll(List.of("history-0", "parallel", "contour", "edf-0", "timeline")),
        charts.toString());
    assertTrue(charts.stream().anyMatch(c -> c.startsWith("slice-")), charts.toString());
  }

  @Test
  void aMultiFidelityReportDrawsWithTheTopBudgetFront() throws Exception {
    List<FrozenTrial> trials = ReportFixturesBudgets.promoted(ReportFixtures.study("mf", 2, 27));
    JsonNode state = load(trials, 2);

    assertAllDrawn(state);
    assertTrue(names(state.get("charts")).contains("pareto-0-1"), state.toString());
  }

  @Test
  void aPopulationBasedTrainingReportDrawsEachMembersScheduleAndItsExploits() throws Exception {
    Study study =
        Study.builder("pbt")
            .objectives(Objective.maximize("score"))
            .sampler(RandomSampler.seeded(3))
            .scheduler(PbtScheduler.create(PbtSettings.builder(4, 2).seed(5).build()))
            .build();
    study.optimize(ReportBrowserTest::segment, OptimizeOptions.trials(24));
    List<FrozenTrial> trials = study.trials();
    assertTrue(
        trials.stream().anyMatch(t -> t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR)),
        "the fixture exploits");

    JsonNode data =
        ReportJson.tree(
            new ReportFacts(StudyData.of("pbt", study.objectives(), trials)), List.of());
    JsonNode exploited = null;
    for (JsonNode t : data.get("trials")) {
      assertTrue(t.has("pbt"), "every segment names its member: " + t);
      if (t.get("pbt").has("exploit")) {
        exploited = t;
      }
    }
    assertTrue(exploited != null, data.toString());
    FrozenTrial copy = trials.get(exploited.get("number").asInt());
    assertEquals(
        ((java.util.Map<?, ?>) copy.systemAttrs().get(PbtScheduler.EXPLOIT_ATTR)).get("from_trial"),
        exploited.get("pbt").get("exploit").get("fromTrial").asInt());

    JsonNode state = load(trials, study.objectives(), "pbt");
    assertAllDrawn(state);
    assertTrue(
        names(state.get("charts")).containsAll(List.of("pbt-score", "pbt-lr")), state.toString());
  }

  /** A segment: the score grows by lr x (1 - lr) per step from the checkpoint it continues. */
  private static TrialResult segment(Trial trial) {
    double lr = trial.suggestFloat("lr", 1e-3, 1, true);
    double score = 0;
    long step = 0;
    var saved = trial.checkpoint().load();
    if (saved.isPresent()) {
      ByteBuffer b = ByteBuffer.wrap(saved.get());
      score = b.getDouble();
      step = b.getLong();
    }
    long budget = (long) trial.budget().orElseThrow();
    for (; step < budget; step++) {
      score += lr * (1 - lr);
    }
    trial.checkpoint().save(ByteBuffer.allocate(16).putDouble(score).putLong(step).array());
    return TrialResult.of(score);
  }

  private JsonNode load(List<FrozenTrial> trials, int objectives) throws Exception {
    return load(trials, ReportFixtures.objectives(objectives), "report-" + objectives);
  }

  private JsonNode load(List<FrozenTrial> trials, List<Objective> objectives, String name)
      throws Exception {
    Path out = dir.resolve(name);
    Reports.write(StudyData.of("browser", objectives, trials), out);
    Path html = out.resolve(Reports.HTML);
    assertTrue(Files.size(html) < 5_000_000, "under 5 MB: " + Files.size(html));
    try (HeadlessChromium browser = HeadlessChromium.start()) {
      browser.open(html.toUri().toString());
      return browser
          .awaitValue(null, STATE, v -> !v.isNull(), Duration.ofSeconds(120))
          .orElseThrow(() -> new AssertionError("the report never finished drawing"));
    }
  }

  static void assertAllDrawn(JsonNode state) {
    assertTrue(!state.isNull(), "the report never finished drawing");
    assertEquals("", state.get("errors").asText(), "script errors");
    assertTrue(state.get("charts").size() >= 5, state.toString());
    assertEquals(names(state.get("charts")), names(state.get("drawn")), "every chart drawn");
    assertTrue(state.get("svg").asInt() >= state.get("charts").size(), state.toString());
  }

  static Set<String> names(JsonNode array) {
    Set<String> names = new HashSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  /**
   * Hyperband-like budgets for fixture trials: every trial at 1, a third again at 3, a ninth at 9.
   */
  static final class ReportFixturesBudgets {
    static List<FrozenTrial> promoted(dev.knobflow.optimizers.Study study) {
      List<FrozenTrial> out = new ArrayList<>();
      List<FrozenTrial> base = study.trials();
      int n = 0;
      for (double budget : new double[] {1, 3, 9}) {
        for (int i = 0; i < base.size(); i += (int) budget) {
          FrozenTrial t = base.get(i);
          out.add(
              new FrozenTrial(
                  n++,
                  t.state(),
                  t.values(),
                  t.params(),
                  t.distributions(),
                  t.intermediateValues(),
                  t.constraints(),
                  t.metrics(),
                  t.userAttrs(),
                  t.systemAttrs(),
                  budget,
                  t.started(),
                  t.completed(),
                  t.heartbeat(),
                  t.failReason()));
        }
      }
      return out;
    }
  }
}
