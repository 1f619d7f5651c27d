package dev.knobflow.plugin.report;

import dev.knobflow.plugin.importance.Importances;
import java.util.List;
import java.util.Objects;

/**
 * A rendered report, in memory.
 *
 * @param data the study it describes
 * @param charts the PNG charts
 * @param importances parameter importance per objective (empty with fewer than 2 completed trials)
 * @param html the self-contained interactive HTML page (charting library and data embedded)
 * @param markdown the Markdown summary, charts linked by file name
 */
public record Report(
    StudyData data,
    List<ChartImage> charts,
    List<Importances> importances,
    String html,
    String markdown) {

  public Report {
    Objects.requireNonNull(data, "data");
    charts = List.copyOf(charts);
    importances = List.copyOf(importances);
    Objects.requireNonNull(html, "html");
    Objects.requireNonNull(markdown, "markdown");
  }
}
