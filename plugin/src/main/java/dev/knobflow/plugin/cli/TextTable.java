package dev.knobflow.plugin.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns separated by two spaces. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  void add(List<String> row) {
    rows.add(List.copyOf(row));
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out, String indent) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], c < row.size() ? row.get(c).length() : 0);
      }
    }
    line(out, indent, header, widths);
    for (List<String> row : rows) {
      line(out, indent, row, widths);
    }
  }

  private static void line(PrintWriter out, String indent, List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder(indent);
    for (int c = 0; c < widths.length; c++) {
      String cell = c < cells.size() ? cells.get(c) : "";
      sb.append(cell);
      if (c < widths.length - 1) {
        sb.append(" ".repeat(widths[c] - cell.length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
