package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import dev.knobflow.plugin.testing.HeadlessChromium;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("mlflow")
class ReportUploadServerTest {

  @TempDir Path temp;

  @Test
  void reportFilesAreLoggedUnderReportOnTheStudysParentRunOnly() {
    String study = "report-upload-" + System.nanoTime();
    try (MlflowTracking tracking =
        MlflowTracking.open(MlflowConnection.of(MlflowTestServer.shared().trackingUri()))) {
      String experiment = tracking.runs().getOrCreateExperiment(study);
      RunRecord parent =
          tracking
              .runs()
              .createRun(
                  experiment,
                  study,
                  Map.of(
                      KnobflowTags.STUDY,
                      study,
                      KnobflowTags.RUN_TYPE,
                      KnobflowTags.RUN_TYPE_STUDY));
      RunRecord child =
          tracking
              .runs()
              .createRun(
                  experiment,
                  "trial-0",
                  Map.of(
                      KnobflowTags.STUDY,
                      study,
                      KnobflowTags.RUN_TYPE,
                      KnobflowTags.RUN_TYPE_TRIAL));
      Path dir = temp.resolve("report");
      Reports.write(ReportFixtures.study(study, 2, 20), dir);

      Optional<String> run = ReportUpload.toStudyRun(tracking, study, study, dir);

      assertEquals(Optional.of(parent.runId()), run);
      Set<String> logged =
          tracking.artifacts().list(parent.runId(), "report").stream()
              .map(ArtifactInfo::path)
              .collect(Collectors.toSet());
      assertTrue(logged.contains("report/report.html"), logged.toString());
      assertTrue(logged.contains("report/summary.md"), logged.toString());
      assertTrue(logged.contains("report/pareto.png"), logged.toString());
      assertEquals(dir.toFile().list().length, logged.size());
      assertTrue(tracking.artifacts().list(child.runId(), "").isEmpty());
      assertTrue(Files.exists(dir.resolve("report.html")));

      assertEquals(
          Optional.empty(), ReportUpload.toStudyRun(tracking, "no-such-experiment-x", study, dir));
      assertEquals(
          Optional.empty(), ReportUpload.toStudyRun(tracking, study, study + "-other", dir));
    }
  }

  /**
   * The uploaded report as a user sees it: MLflow's own UI, run page, artifacts tab, report.html,
   * which MLflow shows in a sandboxed iframe from a blob URL. Every chart must draw there too.
   */
  @Test
  void theUploadedReportDrawsEveryChartInsideMlflowsArtifactViewer() throws Exception {
    assumeTrue(
        HeadlessChromium.executable().isPresent(),
        "chromium is not installed (apt-get install -y chromium): the browser check is skipped");
    String study = "report-view-" + System.nanoTime();
    MlflowTestServer server = MlflowTestServer.shared();
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(server.trackingUri()))) {
      String experiment = tracking.runs().getOrCreateExperiment(study);
      RunRecord parent =
          tracking
              .runs()
              .createRun(
                  experiment,
                  study,
                  Map.of(
                      KnobflowTags.STUDY,
                      study,
                      KnobflowTags.RUN_TYPE,
                      KnobflowTags.RUN_TYPE_STUDY));
      Path dir = temp.resolve("report");
      Reports.write(ReportFixtures.study(study, 3, 30), dir);
      assertEquals(
          Optional.of(parent.runId()), ReportUpload.toStudyRun(tracking, study, study, dir));

      String page =
          server.trackingUri()
              + "/#/experiments/"
              + experiment
              + "/runs/"
              + parent.runId()
              + "/artifacts/report/report.html";
      try (HeadlessChromium browser = HeadlessChromium.start()) {
        browser.open(page);
        JsonNode state =
            browser
                .awaitValue(
                    "blob:", ReportBrowserTest.STATE, v -> !v.isNull(), Duration.ofSeconds(180))
                .orElseThrow(
                    () -> new AssertionError("no report frame drew in MLflow's viewer: " + page));
        ReportBrowserTest.assertAllDrawn(state);
        assertTrue(
            ReportBrowserTest.names(state.get("charts")).contains("pareto-3d"), state.toString());
        String shots = System.getProperty("knobflow.screenshots");
        if (shots != null) {
          Files.write(Path.of(shots).resolve("report-in-mlflow.png"), browser.screenshot());
        }
      }
    }
  }
}
