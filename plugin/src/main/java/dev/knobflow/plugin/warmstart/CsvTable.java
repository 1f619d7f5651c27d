package dev.knobflow.plugin.warmstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Table} read from a CSV file: a header row of column names, then one record per line.
 *
 * <p>Fields are separated by commas; a field may be quoted with {@code "}, a quote inside a quoted
 * field is doubled, and a quoted field may span lines. Surrounding spaces of unquoted fields are
 * trimmed. Blank lines are skipped. The cells {@code ""}, {@code NA}, {@code NaN} and {@code ?}
 * (case-insensitive, after trimming) are missing. Cells are kept as strings; {@link MetaFeatures}
 * decides per column whether it is numeric.
 */
public final class CsvTable implements Table {

  /** Cell texts that mean "missing", compared after trimming and lower-casing. */
  static final Set<String> MISSING = Set.of("", "na", "nan", "?");

  private final String source;
  private final List<String> columnNames;
  private final List<String[]> rows;
  private final int[] lineNumbers;

  private CsvTable(String source, List<String> columnNames, List<String[]> rows, int[] lines) {
    this.source = source;
    this.columnNames = List.copyOf(columnNames);
    this.rows = rows;
    this.lineNumbers = lines;
  }

  /**
   * Reads a UTF-8 CSV file.
   *
   * @throws IllegalArgumentException naming the file, line and column when the file is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static CsvTable read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses CSV text; {@code source} names it in error messages (a file name, or {@code <memory>}).
   */
  public static CsvTable parse(String source, String text) {
    List<Record> records = new Parser(source, text).records();
    if (records.isEmpty()) {
      throw new IllegalArgumentException(source + ": empty file, expected a header row");
    }
    Record header = records.get(0);
    List<String> names = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < header.fields.size(); c++) {
      String name = header.fields.get(c).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            source + " line " + header.line + " column " + (c + 1) + ": blank column name");
      }
      Integer previous = seen.putIfAbsent(name, c);
      if (previous != null) {
        throw new IllegalArgumentException(
            source
                + " line "
                + header.line
                + " column "
                + (c + 1)
                + ": column name '"
                + name
                + "' repeats column "
                + (previous + 1));
      }
      names.add(name);
    }
    List<String[]> rows = new ArrayList<>(records.size() - 1);
    int[] lines = new int[records.size() - 1];
    for (int i = 1; i < records.size(); i++) {
      Record record = records.get(i);
      if (record.fields.size() != names.size()) {
        throw new IllegalArgumentException(
            source
                + " line "
                + record.line
                + ": expected "
                + names.size()
                + " fields as in the header, found "
                + record.fields.size());
      }
      String[] cells = new String[names.size()];
      for (int c = 0; c < cells.length; c++) {
        String cell = record.fields.get(c);
        boolean quoted = record.quoted.get(c);
        String trimmed = quoted ? cell : cell.trim();
        cells[c] = isMissing(trimmed) ? null : trimmed;
      }
      lines[i - 1] = record.line;
      rows.add(cells);
    }
    return new CsvTable(source, names, rows, lines);
  }

  /** Whether a cell's text means "missing". */
  static boolean isMissing(String text) {
    return MISSING.contains(text.trim().toLowerCase(Locale.ROOT));
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
    return rows.size();
  }

  @Override
  public Object cell(int row, int column) {
    return rows.get(row)[column];
  }

  @Override
  public String describeRow(int row) {
    return source + " line " + lineNumbers[row];
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

  /** One CSV record with the line it starts on and whether each field was quoted. */
  private record Record(int line, List<String> fields, List<Boolean> quoted) {}

  /** A small RFC 4180 reader that tracks line numbers for error messages. */
  private static final class Parser {
    private final String source;
    private final String text;
    private int pos;
    private int line = 1;

    Parser(String source, String text) {
      this.source = source;
      // A byte-order mark would otherwise become part of the first column name.
      this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    List<Record> records() {
      List<Record> out = new ArrayList<>();
      while (pos < text.length()) {
        int start = line;
        Record record = record(start);
        boolean blank =
            record.fields.size() == 1 && !record.quoted.get(0) && record.fields.get(0).isBlank();
        if (!blank) {
          out.add(record);
        }
      }
      return out;
    }

    private Record record(int startLine) {
      List<String> fields = new ArrayList<>();
      List<Boolean> quoted = new ArrayList<>();
      while (true) {
        StringBuilder field = new StringBuilder();
        boolean isQuoted = false;
        int column = fields.size() + 1;
        // Leading spaces before an opening quote are allowed.
        int probe = pos;
        while (probe < text.length() && text.charAt(probe) == ' ') {
          probe++;
        }
        if (probe < text.length() && text.charAt(probe) == '"') {
          isQuoted = true;
          pos = probe + 1;
          int quoteLine = line;
          while (true) {
            if (pos >= text.length()) {
              throw new IllegalArgumentException(
                  source
                      + " line "
                      + quoteLine
                      + " column "
                      + column
                      + ": quoted field is not closed before the end of the file");
            }
            char ch = text.charAt(pos++);
            if (ch == '"') {
              if (pos < text.length() && text.charAt(pos) == '"') {
                field.append('"');
                pos++;
              } else {
                break;
              }
            } else {
              if (ch == '\n') {
                line++;
              }
              field.append(ch);
            }
          }
          while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
          }
          if (pos < text.length() && !isDelimiter(text.charAt(pos))) {
            throw new IllegalArgumentException(
                source
                    + " line "
                    + line
                    + " column "
                    + column
                    + ": unexpected '"
                    + text.charAt(pos)
                    + "' after a closing quote (expected ',' or end of line)");
          }
        } else {
          while (pos < text.length() && !isDelimiter(text.charAt(pos))) {
            char ch = text.charAt(pos++);
            if (ch == '"') {
              throw new IllegalArgumentException(
                  source
                      + " line "
                      + line
                      + " column "
                      + column
                      + ": a quote inside an unquoted field (quote the whole field and double"
                      + " inner quotes)");
            }
            field.append(ch);
          }
        }
        fields.add(field.toString());
        quoted.add(isQuoted);
        if (pos >= text.length()) {
          return new Record(startLine, fields, quoted);
        }
        char delimiter = text.charAt(pos++);
        if (delimiter == ',') {
          continue;
        }
        if (delimiter == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
          pos++;
        }
        line++;
        return new Record(startLine, fields, quoted);
      }
    }

    private static boolean isDelimiter(char ch) {
      return ch == ',' || ch == '\n' || ch == '\r';
    }
  }
}
