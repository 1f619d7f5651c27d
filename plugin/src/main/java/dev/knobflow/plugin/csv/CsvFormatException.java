package dev.knobflow.plugin.csv;

/**
 * CSV input that cannot be read as asked. The message names the source, the 1-based line and, where
 * one is to blame, the column: {@code data.csv line 7 column 2: ...}.
 */
public final class CsvFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  /**
   * @param source the file or resource, as named in messages
   * @param line the 1-based line of the problem; 0 when it concerns the whole input
   * @param problem what is wrong and what is allowed
   */
  public CsvFormatException(String source, int line, String problem) {
    super(source + (line > 0 ? " line " + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** The file or resource that was read. */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem; 0 when it concerns the whole input. */
  public int line() {
    return line;
  }
}
