package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.SpaceOverride;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.plugin.advice.AdvisorReport;
import dev.knobflow.plugin.advice.AdvisorSupport;
import dev.knobflow.plugin.advice.ReportSink;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The advisor's lines in {@code tune}'s summary and the space overrides in {@code show}. */
final class AdvisorSummary {

  private AdvisorSummary() {}

  /** How many consultations this run had and where their reports are. */
  static void print(PrintWriter out, AdvisorSupport advisor) {
    List<AdvisorReport> reports = advisor.reports();
    out.println(
        "Advisor ("
            + advisor.mode().name().toLowerCase()
            + "): "
            + reports.size()
            + " consultation"
            + (reports.size() == 1 ? "" : "s"));
    if (!reports.isEmpty()) {
      for (ReportSink sink : advisor.sinks()) {
        out.println("Advisor reports: " + sink.describe());
      }
    }
    out.flush();
  }

  /** The study's narrowed ranges, one line each, with the advice that caused them. */
  static void printOverrides(PrintWriter out, Map<String, Object> studyAttrs) {
    SpaceOverrides overrides = SpaceOverrides.fromStudyAttrs(studyAttrs);
    if (overrides.isEmpty()) {
      return;
    }
    out.println("Space overrides (later trials sample only inside):");
    for (SpaceOverride o : overrides.byParam().values()) {
      Map<String, Object> cause = o.cause();
      out.println(
          String.format(
              "  %s in [%s, %s]%s",
              o.param(),
              o.low(),
              o.high(),
              cause.isEmpty()
                  ? ""
                  : "  (trial "
                      + cause.getOrDefault("trial", "?")
                      + ", step "
                      + cause.getOrDefault("step", "?")
                      + ", "
                      + cause.getOrDefault("diagnosis", "?")
                      + ": "
                      + cause.getOrDefault("summary", "")
                      + ")"));
    }
  }
}
