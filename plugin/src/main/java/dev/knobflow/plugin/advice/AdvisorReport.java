package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.report.Consultation;
import java.util.List;
import java.util.Objects;

/**
 * One consultation as reported: the advisor's {@link Consultation}, what Knobflow did with it, and
 * the rendered Markdown and JSON.
 *
 * @param consultation the request and the validated advice
 * @param applied one line per action: what was done, or why nothing was
 * @param markdown the report, {@code advisor/trial-<n>-step-<s>.md}
 * @param json the same as JSON, {@code advisor/trial-<n>-step-<s>.json}
 */
public record AdvisorReport(
    Consultation consultation, List<String> applied, String markdown, String json) {

  public AdvisorReport {
    Objects.requireNonNull(consultation, "consultation");
    applied = List.copyOf(applied);
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(json, "json");
  }

  /** The trial's number. */
  public int trialNumber() {
    return consultation.request().trialNumber();
  }
}
