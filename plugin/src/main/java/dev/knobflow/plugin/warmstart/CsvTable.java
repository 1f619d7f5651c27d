package dev.knobflow.plugin.warmstart;

import dev.knobflow.plugin.csv.CsvReader;
import dev.knobflow.plugin.csv.CsvRecord;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Table} read from CSV through the one {@link CsvReader} (see there for the format): the
 * header's column names, then the records' cells as strings, missing cells {@code null}. {@link
 * MetaFeatures} decides per column whether it is numeric.
 */
public final class CsvTable implements Table {

  private final String source;
  private final List<String> columnNames;
  private final List<CsvRecord> records;

  private CsvTable(String source, List<String> columnNames, List<CsvRecord> records) {
    this.source = source;
    this.columnNames = columnNames;
    this.records = records;
  }

  /**
   * Reads a UTF-8 CSV file.
   *
   * @throws IllegalArgumentException naming the file, line and column when the file is malformed
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static CsvTable read(Path file) {
    return read(CsvReader.open(file));
  }

  /**
   * Reads CSV text from {@code reader}; {@code source} names it in error messages (a file name, or
   * {@code <memory>}).
   */
  public static CsvTable read(Reader reader, String source) {
    return read(CsvReader.open(reader, source));
  }

  private static CsvTable read(CsvReader csv) {
    try (csv) {
      List<CsvRecord> records = new ArrayList<>();
      csv.records().forEach(records::add);
      return new CsvTable(csv.source(), csv.header(), List.copyOf(records));
    }
  }

  /** The file (or label) this table was read from. */
  public String source() {
    return source;
  }

  @Override
  public List<String> columnNames() {
    return columnNames;
  }

  @Override
  public int rowCount() {
    return records.size();
  }

  @Override
  public @Nullable Object cell(int row, int column) {
    return records.get(row).cell(column);
  }

  @Override
  public String describeRow(int row) {
    return source + " line " + records.get(row).line();
  }

  @Override
  public int columnIndex(String name) {
    int index = columnNames.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          source + ": no target column named '" + name + "'; available columns: " + columnNames);
    }
    return index;
  }
}
