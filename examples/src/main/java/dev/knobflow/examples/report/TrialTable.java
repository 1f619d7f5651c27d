package dev.knobflow.examples.report;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders trials as a plain-text table for the terminal: the trial number, the objective values,
 * chosen extra metrics and the parameters, one row per trial, columns right-aligned.
 *
 * <pre>
 * trial  accuracy  latency_ms  eta     max_depth
 *     7    0.9720      0.4113  0.0415          3
 * </pre>
 */
public final class TrialTable {

  private TrialTable() {}

  /** Prints what an {@code optimize} call finished and the study's totals by state. */
  public static void printFinished(PrintStream out, Study study, OptimizeSummary summary) {
    out.printf(
        "finished %d trials in %.1f s (%s); study total by state: %s%n",
        summary.finished(),
        summary.elapsed().toMillis() / 1000.0,
        summary.trialsByState(),
        study.countByState());
  }

  /**
   * Prints the study's Pareto front, best first objective (maximised) first, as a table of the
   * objectives, {@code metrics} and {@code params}.
   */
  public static void printFront(
      PrintStream out, Study study, List<String> metrics, List<String> params) {
    List<FrozenTrial> front =
        study.paretoFront().stream()
            .sorted(Comparator.comparingDouble((FrozenTrial t) -> -t.values().get(0)))
            .toList();
    out.printf(
        "%nPareto front (%d trials), best %s first:%n",
        front.size(), study.objectives().get(0).name());
    out.print(render(front, study.objectives(), metrics, params));
  }

  /**
   * The table of {@code trials}.
   *
   * @param trials the rows, in the order given
   * @param objectives the study's objectives; the trials' values are in this order
   * @param metrics names of extra metrics to show (a trial without one shows {@code -})
   * @param params names of parameters to show (a trial without one shows {@code -})
   */
  public static String render(
      List<FrozenTrial> trials,
      List<Objective> objectives,
      List<String> metrics,
      List<String> params) {
    List<String> header = new ArrayList<>();
    header.add("trial");
    objectives.forEach(o -> header.add(o.name()));
    header.addAll(metrics);
    header.addAll(params);

    List<List<String>> rows = new ArrayList<>();
    for (FrozenTrial t : trials) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(t.number()));
      for (int i = 0; i < objectives.size(); i++) {
        row.add(i < t.values().size() ? format(t.values().get(i)) : "-");
      }
      for (String m : metrics) {
        Double v = t.metrics().get(m);
        row.add(v == null ? "-" : format(v));
      }
      for (String p : params) {
        Object v = t.params().get(p);
        row.add(v == null ? "-" : format(v));
      }
      rows.add(row);
    }

    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, header, widths);
    for (List<String> row : rows) {
      appendLine(out, row, widths);
    }
    return out.toString();
  }

  private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        out.append("  ");
      }
      out.append(" ".repeat(widths[c] - cells.get(c).length())).append(cells.get(c));
    }
    out.append('\n');
  }

  /** Whole numbers without decimals, others with four significant digits after the point. */
  static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
      if (Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6) {
        return String.format(Locale.ROOT, "%.4f", d);
      }
      return String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(value);
  }
}
