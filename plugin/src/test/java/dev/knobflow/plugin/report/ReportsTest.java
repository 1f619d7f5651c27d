package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.SpaceOverride;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  @Test
  void htmlCarriesTheChartingLibraryAndTheStudyDataAndListsEveryParetoTrial() throws Exception {
    Study study = ReportFixtures.study("html", 2, 40);
    Report report = Reports.render(StudyData.of(study));
    String html = report.html();

    // The vendored Plotly bundle, gzip-compressed, inlined: no network request.
    Matcher lib =
        Pattern.compile("<script type=\"text/plain\" id=\"knobflow-plotly\">([A-Za-z0-9+/=]+)<")
            .matcher(html);
    assertTrue(lib.find(), "the charting library is embedded");
    byte[] gz = Base64.getDecoder().decode(lib.group(1));
    assertEquals((byte) 0x1f, gz[0]);
    assertEquals((byte) 0x8b, gz[1]);
    assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no external script");
    assertFalse(html.contains("src=\"http"), "must be self-contained");
    assertTrue(html.length() < 5_000_000, "under 5 MB: " + html.length());

    // The charts' data: every trial, with the same Pareto membership as the study.
    JsonNode data = new ObjectMapper().readTree(scriptText(html, "knobflow-data"));
    assertEquals(study.trials().size(), data.get("trials").size());
    List<Integer> front = new ArrayList<>();
    data.get("trials")
        .forEach(
            t -> {
              if (t.get("front").asBoolean()) {
                front.add(t.get("number").asInt());
              }
            });
    assertEquals(study.paretoFront().stream().map(FrozenTrial::number).toList(), front);
    assertEquals(2, data.get("referencePoint").size());

    assertFalse(study.paretoFront().isEmpty());
    assertEquals(study.paretoFront().size(), html.split("class=\"pareto-row\"", -1).length - 1);
    for (FrozenTrial t : study.paretoFront()) {
      assertTrue(
          html.contains("<tr class=\"pareto-row\"><td>" + t.number() + "</td>"),
          "missing Pareto trial " + t.number());
    }
    assertTrue(html.contains("<table id=\"trials\" class=\"sortable\">"), "a trials table");
    String body = html.substring(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
    assertEquals(study.trials().size(), countOf(body, "<tr>"), "one row per trial");
    assertTrue(html.contains("Carbon cost"));
    assertTrue(html.contains("Parameter importance"));
    assertTrue(
        html.matches("(?s).*\\d+ trials \\(\\d+ complete, \\d+ pruned, \\d+ fail\\).*"), "counts");
  }

  @Test
  void theSummaryCountsTrialsSampledAtRandomAfterANumericalFailure() {
    // A constant objective cannot be modelled: every GP trial after the 10 start-up trials falls
    // back to random sampling with the reason on the trial, and the summary says how many.
    Study study =
        Study.builder("fallbacks")
            .objectives(Objective.minimize("loss"))
            .space(SearchSpace.builder().floatParam("x", 0, 1).build())
            .sampler(GpSampler.seeded(3))
            .build();
    for (int i = 0; i < 13; i++) {
      study.tell(study.ask(), TrialResult.of(1.0));
    }
    Report report = Reports.render(StudyData.of(study));
    String line = "13 trials (13 complete); 3 sampled at random after a numerical failure";
    assertTrue(report.markdown().contains(line), report.markdown());
    assertTrue(report.html().contains(line));
    Study healthy = ReportFixtures.study("healthy", 1, 10);
    assertFalse(Reports.render(StudyData.of(healthy)).markdown().contains("sampled at random"));
  }

  @Test
  void textThatLooksLikeMarkupCannotEndTheDataScript() throws Exception {
    // Study names may not hold '/', but any text in the data (a categorical value, an attribute, a
    // study read from another tool's storage) could: the page must survive it.
    Study study = ReportFixtures.study("markup", 1, 5);
    String html =
        Reports.render(StudyData.of("</script><b>x", ReportFixtures.objectives(1), study.trials()))
            .html();
    JsonNode data = new ObjectMapper().readTree(scriptText(html, "knobflow-data"));
    assertEquals("</script><b>x", data.get("study").asText());
  }

  @Test
  void aMultiFidelityReportHasABudgetColumnAndTheTopBudgetFront() throws Exception {
    List<FrozenTrial> trials =
        ReportBrowserTest.ReportFixturesBudgets.promoted(ReportFixtures.study("mf", 2, 27));
    String html = Reports.render(StudyData.of("mf", ReportFixtures.objectives(2), trials)).html();
    assertTrue(html.contains("<b>Highest budget</b><span>9</span>"), "the top budget is stated");
    assertTrue(html.contains("<tr><th>trial</th><th>budget</th>"), "a budget column");
    Matcher rows =
        Pattern.compile("<tr class=\"pareto-row\"><td>\\d+</td><td>([^<]*)</td>").matcher(html);
    int count = 0;
    while (rows.find()) {
      assertEquals("9", rows.group(1), "only trials at the highest budget are on the front");
      count++;
    }
    assertTrue(count > 0);
    JsonNode data = new ObjectMapper().readTree(scriptText(html, "knobflow-data"));
    assertEquals(9.0, data.get("topBudget").asDouble());
  }

  static String scriptText(String html, String id) {
    String open = "id=\"" + id + "\">";
    int from = html.indexOf(open) + open.length();
    return html.substring(from, html.indexOf("</script>", from));
  }

  private static int countOf(String s, String part) {
    return s.split(Pattern.quote(part), -1).length - 1;
  }

  @Test
  void singleObjectiveReportShowsTheBestTrialsParams() {
    Study study = ReportFixtures.study("best", 1, 30);
    FrozenTrial best = study.bestTrial().orElseThrow();
    Report report = Reports.render(StudyData.of(study));
    assertTrue(report.html().contains("<h2>Best trial</h2>"));
    assertTrue(report.html().contains("<tr class=\"pareto-row\"><td>" + best.number() + "</td>"));
    assertTrue(report.html().contains(">" + best.params().get("booster") + "<"));
    assertTrue(report.markdown().contains("| " + best.number() + " |"));
  }

  @Test
  void advisorSpaceOverridesAppearInBothFormats() {
    Study study = ReportFixtures.study("advised", 1, 20);
    SpaceOverrides overrides =
        SpaceOverrides.none()
            .with(
                new SpaceOverride(
                    "lr",
                    1e-4,
                    1e-2,
                    Map.of(
                        "trial",
                        3,
                        "step",
                        4,
                        "diagnosis",
                        "diverging",
                        "summary",
                        "lr too high")));
    StudyData data =
        new StudyData(
            study.name(),
            study.objectives(),
            study.trials(),
            Map.of(SpaceOverrides.STUDY_ATTR, overrides.toAttrValue()));
    Report report = Reports.render(data);
    assertTrue(report.html().contains("<h2>Advisor</h2>"));
    assertTrue(
        report.html().contains("lr narrowed to [1.0E-4, 0.01] after trial 3"), report.html());
    assertTrue(report.markdown().contains("diverging"));
  }

  @Test
  void aMultiLineStudyAttributeIsFoldedWithItsLineBreaksKept() {
    Study study = ReportFixtures.study("folded", 1, 5);
    String studyFile = "name: folded\n# a <comment>\nseed: 42\n";
    StudyData data =
        new StudyData(
            study.name(),
            study.objectives(),
            study.trials(),
            Map.of("study_file", studyFile, "seed", "42"));
    String html = Reports.render(data).html();
    assertTrue(
        html.contains(
            "<li><b>Study file</b><details><summary>3 lines</summary><pre>name: folded\n"
                + "# a &lt;comment&gt;\nseed: 42\n</pre></details></li>"),
        html);
    assertTrue(html.contains("<li><b>Seed</b><span>42</span></li>"), "a short value stays inline");
    assertTrue(html.contains("<div id=\"charts\" class=\"charts\">"), "charts share a grid");
  }

  @Test
  void writeProducesHtmlMarkdownAndThePngs(@TempDir Path dir) throws Exception {
    Study study = ReportFixtures.study("files", 3, 30);
    List<Path> files = Reports.write(study, dir.resolve("out"));
    assertTrue(Files.isRegularFile(dir.resolve("out/report.html")));
    String md = Files.readString(dir.resolve("out/summary.md"));
    assertTrue(md.startsWith("# Study files"));
    assertTrue(
        md.matches("(?s).*!\\[Hypervolume, reference point \\([^)]+\\)\\]\\(history.png\\).*"), md);
    long pngs = files.stream().filter(f -> f.toString().endsWith(".png")).count();
    assertTrue(pngs >= 6, files.toString());
    for (Path f : files) {
      assertTrue(Files.size(f) > 500, f.toString());
    }
  }

  @Test
  void aStudyWithoutCompletedTrialsStillGetsAReport() {
    Study study = ReportFixtures.study("empty", 2, 0);
    Report report = Reports.render(StudyData.of(study));
    assertTrue(report.html().contains("No feasible trial completed yet."));
    assertTrue(report.charts().isEmpty());
    assertTrue(report.importances().isEmpty());
  }
}
