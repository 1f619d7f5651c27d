package dev.knobflow.examples.data;

/**
 * A CSV file that cannot be read as a numeric table. The message names the source, the 1-based line
 * and, where one is to blame, the column.
 */
public final class CsvFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  CsvFormatException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** The file or resource that was read. */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem; 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}
