package dev.knobflow.plugin.warmstart;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A {@link Table} held as lists of cells, one per column. */
record InMemoryTable(List<String> columnNames, List<List<Object>> columns) implements Table {

  InMemoryTable {
    columnNames = List.copyOf(columnNames);
    List<List<Object>> copies = new ArrayList<>(columns.size());
    for (List<Object> column : columns) {
      // Collections.unmodifiableList over a copy: List.copyOf rejects the null (missing) cells.
      copies.add(java.util.Collections.unmodifiableList(new ArrayList<>(column)));
    }
    columns = List.copyOf(copies);
  }

  static InMemoryTable of(List<String> names, List<List<?>> columns) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(columns, "columns");
    if (names.size() != columns.size()) {
      throw new IllegalArgumentException(
          "columns: expected one column per name (" + names.size() + "), got " + columns.size());
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("names: column names must not be blank");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("names: column '" + name + "' appears twice");
      }
    }
    int rows = columns.isEmpty() ? 0 : columns.get(0).size();
    List<List<Object>> cells = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      List<?> column = columns.get(c);
      if (column.size() != rows) {
        throw new IllegalArgumentException(
            "columns: column '"
                + names.get(c)
                + "' has "
                + column.size()
                + " cells but column '"
                + names.get(0)
                + "' has "
                + rows);
      }
      List<Object> copy = new ArrayList<>(column.size());
      for (Object cell : column) {
        if (cell != null && !(cell instanceof Number) && !(cell instanceof String)) {
          cell = cell.toString();
        }
        copy.add(cell);
      }
      cells.add(copy);
    }
    return new InMemoryTable(names, cells);
  }

  @Override
  public int rowCount() {
    return columns.isEmpty() ? 0 : columns.get(0).size();
  }

  @Override
  public @Nullable Object cell(int row, int column) {
    return columns.get(column).get(row);
  }
}
