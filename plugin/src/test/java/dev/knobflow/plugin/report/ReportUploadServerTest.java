package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.mlflow.KnobflowTags;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.tracking.ArtifactInfo;
import dev.knobflow.plugin.tracking.MlflowConnection;
import dev.knobflow.plugin.tracking.MlflowTracking;
import dev.knobflow.plugin.tracking.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
