package dev.knobflow.plugin.warmstart;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rectangular table of named columns, the input of {@link MetaFeatures}.
 *
 * <p>A cell is {@code null} when missing, a {@link Number} or a {@link String}. A column is numeric
 * when every present cell is a finite number or a string that parses as one; otherwise it is
 * categorical.
 */
public interface Table {

  /** The column names, in order, without duplicates. */
  List<String> columnNames();

  /** The number of data rows. */
  int rowCount();

  /** The cell at {@code row} and {@code column} (both from 0), or {@code null} when missing. */
  @Nullable Object cell(int row, int column);

  /** Where a cell came from, for error messages (e.g. {@code data.csv line 7}). */
  default String describeRow(int row) {
    return "row " + (row + 1);
  }

  /**
   * An in-memory table from columns of equal length.
   *
   * @param names the column names
   * @param columns one list of cells per name; {@code null} cells are missing
   */
  static Table of(List<String> names, List<List<?>> columns) {
    return InMemoryTable.of(names, columns);
  }

  /** The index of {@code name}, or an error that lists the available columns. */
  default int columnIndex(String name) {
    int index = columnNames().indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          "target: no column named '" + name + "'; available columns: " + columnNames());
    }
    return index;
  }

  /** The cells of one column, top to bottom. */
  default List<@Nullable Object> column(int column) {
    List<@Nullable Object> out = new ArrayList<>(rowCount());
    for (int r = 0; r < rowCount(); r++) {
      out.add(cell(r, column));
    }
    return out;
  }
}
