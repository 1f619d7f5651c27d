package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.report.AdviceReport;
import dev.knobflow.advisor.report.Consultation;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.tracking.MlflowArtifacts;
import dev.knobflow.plugin.tracking.MlflowWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Logs reports to MLflow: each consultation's Markdown and JSON as artifacts of the trial's run,
 * {@code advisor/summary.md} on the study's parent run, and a plain summary (at most 8,000
 * characters) as the description ({@code mlflow.note.content}) of the trial's run and of the
 * study's run. A trial or study without a known run is skipped.
 */
public final class MlflowReportSink implements ReportSink {

  private final MlflowArtifacts artifacts;
  private final MlflowWriter writer;
  private final TrackingRunIds runs;

  private MlflowReportSink(MlflowArtifacts artifacts, MlflowWriter writer, TrackingRunIds runs) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  /** Reports through {@code artifacts} and {@code writer} to the runs {@code runs} names. */
  public static MlflowReportSink of(
      MlflowArtifacts artifacts, MlflowWriter writer, TrackingRunIds runs) {
    return new MlflowReportSink(artifacts, writer, runs);
  }

  @Override
  public void trialReport(
      StudyView study, FrozenTrial trial, AdvisorReport report, List<AdvisorReport> trialReports) {
    Optional<String> run = runs.trialRun(study, trial);
    if (run.isEmpty()) {
      return;
    }
    Consultation c = report.consultation();
    artifacts.uploadBytes(run.get(), c.markdownArtifactPath(), utf8(report.markdown()));
    artifacts.uploadBytes(run.get(), c.jsonArtifactPath(), utf8(report.json()));
    writer.setDescription(run.get(), AdviceReport.plainSummary(consultations(trialReports)));
  }

  @Override
  public void studySummary(StudyView study, List<AdvisorReport> reports) {
    Optional<String> run = runs.studyRun(study);
    if (run.isEmpty()) {
      return;
    }
    List<Consultation> all = consultations(reports);
    artifacts.uploadBytes(
        run.get(), "advisor/summary.md", utf8(AdviceReport.studySummaryMarkdown(all)));
    writer.setDescription(run.get(), AdviceReport.plainSummary(all));
  }

  @Override
  public String describe() {
    return "MLflow run artifacts (advisor/)";
  }

  private static List<Consultation> consultations(List<AdvisorReport> reports) {
    return reports.stream().map(AdvisorReport::consultation).toList();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
