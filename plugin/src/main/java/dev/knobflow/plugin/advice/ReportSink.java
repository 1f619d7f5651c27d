package dev.knobflow.plugin.advice;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import java.util.List;

/**
 * Where the advisor's reports go: a local directory ({@link LocalReportSink}), MLflow run artifacts
 * ({@link MlflowReportSink}), or both. Implementations must be thread-safe; a failure is logged by
 * the caller and never fails a trial.
 */
public interface ReportSink {

  /**
   * One consultation of {@code trial}.
   *
   * @param trialReports every report of this trial so far, this one last
   */
  void trialReport(
      StudyView study, FrozenTrial trial, AdvisorReport report, List<AdvisorReport> trialReports);

  /** The study's summary over every consultation of this run, written when optimize ends. */
  void studySummary(StudyView study, List<AdvisorReport> reports);

  /** Where the reports go, for the user. */
  String describe();
}
