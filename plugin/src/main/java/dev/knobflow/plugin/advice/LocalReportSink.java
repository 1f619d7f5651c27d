package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.report.AdviceReport;
import dev.knobflow.advisor.report.Consultation;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.StudyView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes reports under a directory, with the same relative paths as the MLflow artifacts: {@code
 * advisor/trial-<n>-step-<s>.md} and {@code .json}, and {@code advisor/summary.md}. Files are
 * written to a temporary name and moved into place, so a reader never sees half a report.
 */
public final class LocalReportSink implements ReportSink {

  private final Path root;

  private LocalReportSink(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Reports under {@code root} (created when the first report is written). */
  public static LocalReportSink under(Path root) {
    return new LocalReportSink(Objects.requireNonNull(root, "root"));
  }

  /** The default place for a study: {@code <base>/.knobflow/reports/<study>}. */
  public static LocalReportSink defaultFor(Path baseDirectory, String study) {
    return under(
        baseDirectory.resolve(".knobflow").resolve("reports").resolve(StudyNames.fileSafe(study)));
  }

  /** The root directory; reports are in its {@code advisor/} folder. */
  public Path root() {
    return root;
  }

  @Override
  public void trialReport(
      StudyView study, FrozenTrial trial, AdvisorReport report, List<AdvisorReport> trialReports) {
    Consultation c = report.consultation();
    write(c.markdownArtifactPath(), report.markdown());
    write(c.jsonArtifactPath(), report.json());
  }

  @Override
  public void studySummary(StudyView study, List<AdvisorReport> reports) {
    write(
        "advisor/summary.md",
        AdviceReport.studySummaryMarkdown(
            reports.stream().map(AdvisorReport::consultation).toList()));
  }

  @Override
  public String describe() {
    return root.resolve("advisor").toString();
  }

  private synchronized void write(String relative, String text) {
    Path target = root.resolve(relative);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".report", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write advisor report " + target, e);
    }
  }
}
