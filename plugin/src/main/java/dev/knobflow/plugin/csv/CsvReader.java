package dev.knobflow.plugin.csv;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.Closeable;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Streams a CSV input record by record (jackson-dataformat-csv underneath): a header row of column
 * names, then data records, never the whole input in memory.
 *
 * <pre>{@code
 * try (CsvReader csv = CsvReader.open(Path.of("train.csv"))) {
 *   int label = csv.header().indexOf("label");
 *   csv.records().forEach(record -> use(record.cell(label)));
 * }
 * }</pre>
 *
 * <p>The format (RFC 4180 with two allowances): fields are separated by commas; a field may be
 * quoted with {@code "}, a quote inside a quoted field is doubled, and a quoted field may hold
 * commas and line breaks. Spaces around unquoted fields are trimmed; quoted fields keep theirs.
 * Blank lines are skipped, so a record of a single empty field is never a record. A leading
 * byte-order mark is dropped. The header's names must be present and distinct, and every record
 * must have as many fields as the header. The cells {@code ""}, {@code NA}, {@code NaN} and {@code
 * ?} (case-insensitive, after trimming) are missing: {@code null} in a {@link CsvRecord}.
 *
 * <p>Bad input fails with a {@link CsvFormatException} naming the source, the line and, where one
 * is to blame, the column; an unreadable input with an {@link UncheckedIOException}.
 */
public final class CsvReader implements Closeable {

  /** Cell texts that mean "missing", compared after trimming and lower-casing. */
  private static final Set<String> MISSING = Set.of("", "na", "nan", "?");

  private static final CsvFactory FACTORY =
      CsvFactory.builder()
          .enable(CsvParser.Feature.WRAP_AS_ARRAY)
          .enable(CsvParser.Feature.TRIM_SPACES)
          .build();

  private final String source;
  private final CsvParser parser;
  private final List<String> header;
  private final int headerLine;
  private final List<String> fields = new ArrayList<>();
  private int recordLine;
  private boolean opened;
  private boolean ended;

  private CsvReader(Reader reader, String source) throws IOException {
    this.source = source;
    this.parser = (CsvParser) FACTORY.createParser(withoutByteOrderMark(reader));
    List<String> names = nextFields();
    if (names == null) {
      throw new CsvFormatException(source, 0, "the input is empty; expected a header row");
    }
    this.headerLine = recordLine;
    this.header = checkedHeader(names);
  }

  /**
   * Opens a UTF-8 CSV file and reads its header.
   *
   * @throws CsvFormatException when the file is empty or its header is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static CsvReader open(Path file) {
    Reader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
    }
    return open(reader, file.toString());
  }

  /**
   * Starts reading CSV from {@code reader} and reads the header; {@code source} names the input in
   * messages (a file name, {@code classpath:/...}, {@code <memory>}). Closing this reader closes
   * {@code reader}; so does a failure here.
   *
   * @throws CsvFormatException when the input is empty or its header is malformed
   */
  public static CsvReader open(Reader reader, String source) {
    try {
      return new CsvReader(reader, source);
    } catch (IOException | RuntimeException e) {
      try {
        reader.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw unreadable(source, io);
      }
      throw (RuntimeException) e;
    }
  }

  /** Whether a cell's text means "missing" ({@code ""}, {@code NA}, {@code NaN}, {@code ?}). */
  public static boolean isMissing(String text) {
    return MISSING.contains(text.trim().toLowerCase(Locale.ROOT));
  }

  /** The input's name in messages. */
  public String source() {
    return source;
  }

  /** The column names, in order, trimmed, distinct. */
  public List<String> header() {
    return header;
  }

  /** The 1-based line the header is on (after any leading blank lines). */
  public int headerLine() {
    return headerLine;
  }

  /**
   * The next data record, or {@code null} after the last one.
   *
   * @throws CsvFormatException when the record is malformed or has another number of fields than
   *     the header
   */
  public @Nullable CsvRecord next() {
    List<String> texts = nextFields();
    if (texts == null) {
      return null;
    }
    if (texts.size() != header.size()) {
      throw new CsvFormatException(
          source,
          recordLine,
          "expected " + header.size() + " fields as in the header, found " + texts.size());
    }
    @Nullable String[] cells = new String[texts.size()];
    for (int c = 0; c < cells.length; c++) {
      String text = texts.get(c);
      cells[c] = isMissing(text) ? null : text;
    }
    return new CsvRecord(source, recordLine, Collections.unmodifiableList(Arrays.asList(cells)));
  }

  /**
   * The remaining data records, read lazily as the stream is consumed. The stream does not close
   * this reader.
   */
  public Stream<CsvRecord> records() {
    Iterator<CsvRecord> iterator =
        new Iterator<>() {
          private @Nullable CsvRecord ahead;

          @Override
          public boolean hasNext() {
            if (ahead == null) {
              ahead = CsvReader.this.next();
            }
            return ahead != null;
          }

          @Override
          public CsvRecord next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            CsvRecord record = ahead;
            ahead = null;
            return record;
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw unreadable(source, e);
    }
  }

  /** The fields of the next non-blank record (its line in {@link #recordLine}), or null at end. */
  private @Nullable List<String> nextFields() {
    try {
      while (!ended) {
        JsonToken token = parser.nextToken();
        if (!opened && token == JsonToken.START_ARRAY) {
          opened = true; // WRAP_AS_ARRAY wraps the whole input in one outer array
          continue;
        }
        if (token != JsonToken.START_ARRAY) {
          ended = true; // the outer array's end, or the end of the input
          break;
        }
        recordLine = parser.currentLocation().getLineNr();
        fields.clear();
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
          fields.add(parser.getText());
        }
        boolean blankLine = fields.size() == 1 && fields.get(0).isEmpty();
        if (!blankLine) {
          return List.copyOf(fields);
        }
      }
      return null;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw unreadable(source, e);
    }
  }

  private CsvFormatException malformed(JsonProcessingException e) {
    String where = "column " + (fields.size() + 1) + ": ";
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Missing closing quote")) {
      return new CsvFormatException(
          source, recordLine, where + "a quoted field is not closed before the end of the input");
    }
    JsonLocation location = e.getLocation();
    int line = location == null ? recordLine : location.getLineNr();
    return new CsvFormatException(source, line, where + message);
  }

  private List<String> checkedHeader(List<String> names) {
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < names.size(); c++) {
      String name = names.get(c);
      if (name.isBlank()) {
        throw new CsvFormatException(
            source, headerLine, "column " + (c + 1) + ": the header names no column here");
      }
      Integer previous = seen.putIfAbsent(name, c);
      if (previous != null) {
        throw new CsvFormatException(
            source,
            headerLine,
            "column " + (c + 1) + ": column name '" + name + "' repeats column " + (previous + 1));
      }
    }
    return names;
  }

  private static Reader withoutByteOrderMark(Reader reader) throws IOException {
    PushbackReader pushback = new PushbackReader(reader, 1);
    int first = pushback.read();
    if (first >= 0 && first != '\uFEFF') {
      pushback.unread(first);
    }
    return pushback;
  }

  private static UncheckedIOException unreadable(String source, IOException e) {
    return new UncheckedIOException("cannot read CSV " + source + ": " + e.getMessage(), e);
  }
}
