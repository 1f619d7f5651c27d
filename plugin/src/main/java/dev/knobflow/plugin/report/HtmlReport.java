package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.importance.Importances;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders the interactive, self-contained HTML report: tables as HTML, charts drawn in the browser
 * by the vendored Plotly from the study's JSON ({@link ReportJson}). No external file, style,
 * script or network request; it renders in a browser and in MLflow's artifact viewer (a sandboxed
 * iframe that allows scripts).
 */
final class HtmlReport {

  /** Attribute values longer than this (or with line breaks) are folded. */
  private static final int LONG_VALUE = 200;

  /** Readable labels for the study attributes Knobflow writes; others are humanised. */
  private static final Map<String, String> LABELS =
      Map.of(
          "sampler", "Sampler",
          "seed", "Seed",
          "trials_target", "Trials requested",
          "study_file", "Study file");

  private HtmlReport() {}

  static String render(ReportFacts facts, List<Importances> importances) {
    StudyData data = facts.data;
    StringBuilder h = new StringBuilder(2_200_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Knobflow report: ")
        .append(esc(data.name()))
        .append("</title>\n<style>\n")
        .append(ChartLibrary.style())
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Study ").append(esc(data.name())).append("</h1>\n");
    h.append("<pre id=\"report-errors\" hidden></pre>\n")
        .append(
            "<noscript><p>The charts need JavaScript; the tables below do not.</p></noscript>\n");
    h.append("<ul class=\"facts\">\n");
    item(h, "Objectives", facts.objectivesLine());
    item(h, "Trials", facts.countsLine());
    facts.pareto.topBudget().ifPresent(b -> item(h, "Highest budget", ReportFacts.number(b)));
    for (Map.Entry<String, Object> e : data.attrs().entrySet()) {
      if (!e.getKey().equals(SpaceOverrides.STUDY_ATTR)) {
        item(h, label(e.getKey()), ReportFacts.value(e.getValue()));
      }
    }
    facts.energy.ifPresent(t -> item(h, "Carbon cost", t.describe()));
    h.append("</ul>\n");

    h.append("<h2>").append(esc(facts.bestHeading())).append("</h2>\n");
    if (facts.best.isEmpty()) {
      h.append("<p>No feasible trial completed yet.</p>\n");
    } else {
      boolean budgets = facts.pareto.topBudget().isPresent();
      h.append("<table class=\"pareto\">\n<tr><th>trial</th>");
      if (budgets) {
        h.append("<th>budget</th>");
      }
      data.objectives().forEach(o -> h.append("<th>").append(esc(o.name())).append("</th>"));
      facts.params.forEach(p -> h.append("<th class=\"text\">").append(esc(p)).append("</th>"));
      h.append("</tr>\n");
      for (FrozenTrial t : facts.best) {
        h.append("<tr class=\"pareto-row\"><td>").append(t.number()).append("</td>");
        if (budgets) {
          h.append("<td>").append(budget(t)).append("</td>");
        }
        for (int j = 0; j < data.objectives().size(); j++) {
          h.append("<td>").append(ReportFacts.number(t.values().get(j))).append("</td>");
        }
        for (String p : facts.params) {
          h.append("<td class=\"text\">")
              .append(esc(t.params().containsKey(p) ? ReportFacts.value(t.params().get(p)) : ""))
              .append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }

    if (!importances.isEmpty() && !importances.get(0).byParam().isEmpty()) {
      h.append("<h2>Parameter importance (PED-ANOVA)</h2>\n<table class=\"importance\">\n")
          .append("<tr><th class=\"text\">parameter</th>");
      importances.forEach(i -> h.append("<th>").append(esc(i.objective())).append("</th>"));
      h.append("</tr>\n");
      for (String p : importances.get(0).byParam().keySet()) {
        h.append("<tr><td class=\"text\">").append(esc(p)).append("</td>");
        importances.forEach(
            i ->
                h.append("<td>")
                    .append(String.format(Locale.ROOT, "%.3f", i.of(p)))
                    .append("</td>"));
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }

    if (!facts.bounds.isEmpty()) {
      h.append("<h2>Ranges to check</h2>\n<ul id=\"bound-warnings\">\n");
      facts.bounds.forEach(b -> h.append("<li>").append(esc(b.describe())).append("</li>\n"));
      h.append("</ul>\n");
    }
    if (!facts.advice.isEmpty()) {
      h.append("<h2>Advisor</h2>\n<ul>\n");
      facts.advice.forEach(a -> h.append("<li>").append(esc(a)).append("</li>\n"));
      h.append("</ul>\n");
    }

    h.append("<h2>Charts</h2>\n<div id=\"charts\" class=\"charts\"></div>\n");
    trialsTable(h, facts);
    h.append("<p><small>Generated by Knobflow; charts by Plotly.js ")
        .append(ChartLibrary.PLOTLY_VERSION)
        .append(" (MIT licence), embedded.</small></p>\n");
    h.append("<script type=\"application/json\" id=\"knobflow-data\">")
        .append(ReportJson.of(facts, importances))
        .append("</script>\n");
    h.append("<script type=\"text/plain\" id=\"knobflow-plotly\">")
        .append(ChartLibrary.plotlyGzipBase64())
        .append("</script>\n<script>\n")
        .append(ChartLibrary.script())
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  /** Every trial, sortable in the page by any column (numbers sort as numbers). */
  private static void trialsTable(StringBuilder h, ReportFacts facts) {
    StudyData data = facts.data;
    if (data.trials().isEmpty()) {
      return;
    }
    boolean budgets = facts.pareto.topBudget().isPresent();
    Set<String> params = new LinkedHashSet<>();
    data.trials().forEach(t -> params.addAll(t.params().keySet()));
    h.append("<h2>Trials</h2>\n<p><small>Click a column to sort.</small></p>\n")
        .append("<div class=\"table-wrap\"><table id=\"trials\" class=\"sortable\">\n<thead><tr>")
        .append("<th>trial</th><th class=\"text\">state</th>");
    if (budgets) {
      h.append("<th>budget</th>");
    }
    h.append("<th>duration (s)</th>");
    data.objectives().forEach(o -> h.append("<th>").append(esc(o.name())).append("</th>"));
    params.forEach(p -> h.append("<th class=\"text\">").append(esc(p)).append("</th>"));
    h.append("</tr></thead>\n<tbody>\n");
    for (FrozenTrial t : data.trials()) {
      h.append("<tr><td>").append(t.number()).append("</td><td class=\"text\">");
      h.append(t.state().name().toLowerCase(Locale.ROOT)).append("</td>");
      if (budgets) {
        h.append("<td>").append(t.budgetIfAssigned().isPresent() ? budget(t) : "").append("</td>");
      }
      h.append("<td>")
          .append(t.duration().map(d -> ReportFacts.number(d.toMillis() / 1000.0)).orElse(""))
          .append("</td>");
      for (int j = 0; j < data.objectives().size(); j++) {
        boolean has = t.state() == TrialState.COMPLETE && j < t.values().size();
        h.append("<td>").append(has ? ReportFacts.number(t.values().get(j)) : "").append("</td>");
      }
      for (String p : params) {
        h.append("<td class=\"text\">")
            .append(esc(t.params().containsKey(p) ? ReportFacts.value(t.params().get(p)) : ""))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private static String budget(FrozenTrial t) {
    return ReportFacts.number(t.budgetIfAssigned().orElse(Double.NaN));
  }

  /** {@code trials_target} becomes "Trials requested"; unknown keys are humanised. */
  static String label(String key) {
    String known = LABELS.get(key);
    if (known != null) {
      return known;
    }
    String words = key.replace('_', ' ').replace('.', ' ').trim();
    return words.isEmpty() ? key : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static void item(StringBuilder h, String key, String value) {
    if (value.indexOf('\n') >= 0 || value.length() > LONG_VALUE) {
      // A study file or other long text: folded, with its line breaks kept.
      long lines = value.lines().count();
      h.append("<li><b>")
          .append(esc(key))
          .append("</b><details><summary>")
          .append(lines)
          .append(lines == 1 ? " line" : " lines")
          .append("</summary><pre>")
          .append(esc(value))
          .append("</pre></details></li>\n");
      return;
    }
    h.append("<li><b>")
        .append(esc(key))
        .append("</b><span>")
        .append(esc(value))
        .append("</span></li>\n");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
