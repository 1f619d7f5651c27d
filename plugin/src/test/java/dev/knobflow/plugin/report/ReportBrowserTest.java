package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.plugin.testing.HeadlessChromium;
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

  private JsonNode load(List<FrozenTrial> trials, int objectives) throws Exception {
    Path out = dir.resolve("report-" + objectives);
    Reports.write(StudyData.of("browser", ReportFixtures.objectives(objectives), trials), out);
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
