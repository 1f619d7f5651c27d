package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.plugin.importance.Importances;
import java.util.List;
import java.util.Locale;

/**
 * Renders the report's Markdown summary; charts are linked by their file names. Text from the study
 * (its name, parameter names and values, advice) is HTML-escaped.
 */
final class MarkdownSummary {

  private MarkdownSummary() {}

  static String render(ReportFacts facts, List<ChartImage> charts, List<Importances> importances) {
    StudyData data = facts.data;
    StringBuilder m = new StringBuilder();
    m.append("# Study ").append(text(data.name())).append("\n\n");
    m.append("- **Objectives:** ").append(facts.objectivesLine()).append('\n');
    m.append("- **Trials:** ").append(facts.countsLine()).append('\n');
    facts.energy.ifPresent(t -> m.append("- **Carbon cost:** ").append(t.describe()).append('\n'));
    m.append("\n## ").append(facts.bestHeading()).append("\n\n");
    if (facts.best.isEmpty()) {
      m.append("No feasible trial completed yet.\n");
    } else {
      m.append("| trial |");
      data.objectives().forEach(o -> m.append(' ').append(cell(o.name())).append(" |"));
      facts.params.forEach(p -> m.append(' ').append(cell(p)).append(" |"));
      m.append("\n|---|");
      m.append("---|".repeat(data.objectives().size() + facts.params.size()));
      m.append('\n');
      for (FrozenTrial t : facts.best) {
        m.append("| ").append(t.number()).append(" |");
        for (int j = 0; j < data.objectives().size(); j++) {
          m.append(' ').append(ReportFacts.number(t.values().get(j))).append(" |");
        }
        for (String p : facts.params) {
          m.append(' ')
              .append(cell(t.params().containsKey(p) ? ReportFacts.value(t.params().get(p)) : ""))
              .append(" |");
        }
        m.append('\n');
      }
    }
    if (!importances.isEmpty() && !importances.get(0).byParam().isEmpty()) {
      m.append("\n## Parameter importance (PED-ANOVA)\n\n| parameter |");
      importances.forEach(i -> m.append(' ').append(cell(i.objective())).append(" |"));
      m.append("\n|---|").append("---|".repeat(importances.size())).append('\n');
      for (String p : importances.get(0).byParam().keySet()) {
        m.append("| ").append(cell(p)).append(" |");
        importances.forEach(i -> m.append(String.format(Locale.ROOT, " %.3f |", i.of(p))));
        m.append('\n');
      }
    }
    if (!facts.bounds.isEmpty()) {
      m.append("\n## Ranges to check\n\n");
      facts.bounds.forEach(b -> m.append("- ").append(text(b.describe())).append('\n'));
    }
    if (!facts.advice.isEmpty()) {
      m.append("\n## Advisor\n\n");
      facts.advice.forEach(a -> m.append("- ").append(text(a)).append('\n'));
    }
    if (!charts.isEmpty()) {
      m.append("\n## Charts\n\n");
      charts.forEach(
          c ->
              m.append("![")
                  .append(text(c.title()))
                  .append("](")
                  .append(c.fileName())
                  .append(")\n"));
    }
    return m.toString();
  }

  /** A table cell: HTML escaped (a value such as {@code <script>} shows as text), pipes too. */
  private static String cell(String s) {
    return text(s).replace("|", "\\|");
  }

  /** Running text on one line with HTML escaped, so Markdown renderers show it as written. */
  private static String text(String s) {
    return HtmlReport.esc(s).replace("\r", " ").replace("\n", " ");
  }
}
