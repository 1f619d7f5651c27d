package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.importance.Importances;
import dev.knobflow.plugin.importance.PedAnova;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Study reports: PNG charts, a self-contained HTML page and a Markdown summary.
 *
 * <pre>{@code
 * List<Path> files = Reports.write(study, Path.of("report"));   // report.html, summary.md, *.png
 * Report report = Reports.render(StudyData.of(record, trials)); // in memory
 * }</pre>
 */
public final class Reports {

  /** The HTML page's file name. */
  public static final String HTML = "report.html";

  /** The Markdown summary's file name. */
  public static final String MARKDOWN = "summary.md";

  private Reports() {}

  /** Renders {@code data}'s report with the default importance evaluator. */
  public static Report render(StudyData data) {
    return render(data, PedAnova.defaults());
  }

  /** Renders {@code data}'s report, importance by {@code importance}. */
  public static Report render(StudyData data, PedAnova importance) {
    List<Importances> importances = importances(data, importance);
    List<ChartImage> charts = Charts.all(data, importances);
    ReportFacts facts = new ReportFacts(data);
    return new Report(
        data,
        charts,
        importances,
        HtmlReport.render(facts, importances),
        MarkdownSummary.render(facts, charts, importances));
  }

  /** Parameter importance per objective; empty with fewer than 2 completed trials. */
  public static List<Importances> importances(StudyData data, PedAnova importance) {
    if (data.completed().size() < 2) {
      return List.of();
    }
    return importance.evaluate(data.objectives(), data.completed());
  }

  /** Writes a live study's report into {@code dir} (created if missing); returns the files. */
  public static List<Path> write(StudyView study, Path dir) {
    return write(StudyData.of(study), dir);
  }

  /** Writes {@code data}'s report into {@code dir} (created if missing); returns the files. */
  public static List<Path> write(StudyData data, Path dir) {
    return write(render(data), dir);
  }

  /** Writes a rendered report into {@code dir} (created if missing); returns the files. */
  public static List<Path> write(Report report, Path dir) {
    try {
      Files.createDirectories(dir);
      List<Path> files = new ArrayList<>();
      files.add(Files.writeString(dir.resolve(HTML), report.html(), StandardCharsets.UTF_8));
      files.add(
          Files.writeString(dir.resolve(MARKDOWN), report.markdown(), StandardCharsets.UTF_8));
      for (ChartImage chart : report.charts()) {
        files.add(Files.write(dir.resolve(chart.fileName()), chart.png()));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not write the report into " + dir + ": " + e.getMessage(), e);
    }
  }
}
