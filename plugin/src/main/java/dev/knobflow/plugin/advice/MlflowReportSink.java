package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.report.AdviceReport;
import dev.knobflow.advisor.report.Consultation;
import dev.knobflow.mlflowrest.MlflowArtifacts;
import dev.knobflow.mlflowrest.MlflowWriter;
import dev.knobflow.mlflowrest.RunDescriptions;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Logs reports to MLflow: each consultation's Markdown and JSON as artifacts of the trial's run,
 * {@code advisor/summary.md} on the study's parent run, and a plain summary (at most 8,000
 * characters) as the "Advisor" part ({@link #ADVISOR_PART}) of the description ({@code
 * mlflow.note.content}) of the trial's run and of the study's run. The description is shared
 * through {@link RunDescriptions}, so the tracking listener's study summary stays in it, first. A
 * trial or study without a known run is skipped.
 */
public final class MlflowReportSink implements ReportSink {

  /** The advisor's place in a run's description: after the tracking summary. */
  public static final RunDescriptions.Part ADVISOR_PART =
      new RunDescriptions.Part("knobflow.advisor", 100);

  /** The heading of the advisor's part of a description. */
  public static final String HEADING = "## Advisor";

  private final MlflowArtifacts artifacts;
  private final RunDescriptions descriptions;
  private final TrackingRunIds runs;
  private final MlflowWriter tags;

  private MlflowReportSink(
      MlflowArtifacts artifacts,
      RunDescriptions descriptions,
      TrackingRunIds runs,
      MlflowWriter tags) {
    this.tags = tags;
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.descriptions = Objects.requireNonNull(descriptions, "descriptions");
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  /**
   * Reports through {@code artifacts} and {@code descriptions} to the runs {@code runs} names. Use
   * the tracking listener's {@code descriptions()} so both parts of a description are kept.
   */
  public static MlflowReportSink of(
      MlflowArtifacts artifacts, RunDescriptions descriptions, TrackingRunIds runs) {
    return new MlflowReportSink(artifacts, descriptions, runs, null);
  }

  /**
   * As {@link #of(MlflowArtifacts, RunDescriptions, TrackingRunIds)}, and tags each trial run with
   * the advisor's verdict ({@code knobflow.advisor.diagnosis}, {@code knobflow.advisor.action}) so
   * runs can be filtered by it.
   */
  public static MlflowReportSink of(
      MlflowArtifacts artifacts,
      RunDescriptions descriptions,
      TrackingRunIds runs,
      MlflowWriter tags) {
    return new MlflowReportSink(
        artifacts, descriptions, runs, Objects.requireNonNull(tags, "tags"));
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
    descriptions.put(run.get(), ADVISOR_PART, section(consultations(trialReports)));
    if (tags != null) {
      tags.setTags(run.get(), verdictTags(c));
    }
  }

  private static String actionText(AdviceAction a) {
    if (a instanceof AdviceAction.StopTrial) {
      return "stop";
    }
    if (a instanceof AdviceAction.SetRange r) {
      return "set_range " + r.parameter();
    }
    if (a instanceof AdviceAction.FixValue f) {
      return "fix_value " + f.parameter();
    }
    return "none";
  }

  /** The latest verdict as tags: the curve's diagnosis and the actions, e.g. {@code stop}. */
  static Map<String, String> verdictTags(Consultation c) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(
        KnobflowTags.ADVISOR_DIAGNOSIS,
        c.request().diagnosis().kind().name().toLowerCase(Locale.ROOT));
    String actions =
        c.advice().actions().stream()
            .map(MlflowReportSink::actionText)
            .distinct()
            .collect(Collectors.joining(", "));
    out.put(KnobflowTags.ADVISOR_ACTION, actions.isEmpty() ? "none" : actions);
    return out;
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
    descriptions.put(run.get(), ADVISOR_PART, section(all));
  }

  @Override
  public String describe() {
    return "MLflow run artifacts (advisor/)";
  }

  /** The heading and the plain summary (itself at most 8,000 characters). */
  static String section(List<Consultation> consultations) {
    return HEADING + "\n\n" + AdviceReport.plainSummary(consultations);
  }

  private static List<Consultation> consultations(List<AdvisorReport> reports) {
    return reports.stream().map(AdvisorReport::consultation).toList();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
