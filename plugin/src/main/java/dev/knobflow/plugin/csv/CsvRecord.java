package dev.knobflow.plugin.csv;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One data record of a CSV input: the line it starts on and its cells, one per header column, a
 * missing cell ({@link CsvReader#isMissing}) being {@code null}.
 *
 * @param source the file or resource it was read from
 * @param line the 1-based line the record starts on (a quoted field may span lines)
 * @param cells the cells in header order; unmodifiable
 */
public record CsvRecord(String source, int line, List<@Nullable String> cells) {

  /** The cell of column {@code index} (from 0), or {@code null} when missing. */
  public @Nullable String cell(int index) {
    return cells.get(index);
  }

  /** An error naming this record's line and column {@code index} (from 0). */
  public CsvFormatException error(int index, String problem) {
    return new CsvFormatException(source, line, "column " + (index + 1) + ": " + problem);
  }
}
