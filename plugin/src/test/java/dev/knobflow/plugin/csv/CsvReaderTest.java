package dev.knobflow.plugin.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  private static List<CsvRecord> readAll(String text) {
    try (CsvReader csv = CsvReader.open(new StringReader(text), "mem.csv")) {
      return csv.records().toList();
    }
  }

  private static CsvFormatException failure(String text) {
    return assertThrows(CsvFormatException.class, () -> readAll(text));
  }

  @Test
  void quotedFieldsHoldCommasDoubledQuotesAndLineBreaksAndKeepTheirLines() {
    List<CsvRecord> records =
        readAll("name,note,y\r\n\"a, b\",\"say \"\"hi\"\"\n!\",1\r\nc,d,0\r\n");
    assertEquals(2, records.size());
    assertEquals(Arrays.asList("a, b", "say \"hi\"\n!", "1"), records.get(0).cells());
    assertEquals(2, records.get(0).line());
    // The quoted line break counts: the second record starts on line 4.
    assertEquals(4, records.get(1).line());
    assertEquals("c", records.get(1).cell(0));
  }

  @Test
  void missingCellsAreNullWhateverTheirSpelling() {
    CsvRecord record = readAll("a,b,c,d,e,f\n, NA ,nan,?,\"\",x\n").get(0);
    assertEquals(Arrays.asList(null, null, null, null, null, "x"), record.cells());
    assertTrue(CsvReader.isMissing(" NaN "));
    assertTrue(!CsvReader.isMissing("0"));
  }

  @Test
  void unquotedFieldsAreTrimmedAndQuotedOnesKeepTheirSpaces() {
    CsvRecord record = readAll("a,b\n  1.5 ,\"  x \"\n").get(0);
    assertEquals(Arrays.asList("1.5", "  x "), record.cells());
  }

  @Test
  void headerIsTrimmedAfterByteOrderMarkAndBlankLinesAndBlankRecordsAreSkipped() {
    try (CsvReader csv =
        CsvReader.open(new StringReader("\uFEFF\n id , value \n\n1,2\n   \n3,4"), "mem.csv")) {
      assertEquals(List.of("id", "value"), csv.header());
      assertEquals(2, csv.headerLine());
      CsvRecord first = csv.next();
      assertNotNull(first);
      assertEquals(4, first.line());
      CsvRecord second = csv.next();
      assertNotNull(second);
      assertEquals(List.of("3", "4"), second.cells());
      assertEquals(6, second.line());
      assertNull(csv.next());
      assertNull(csv.next());
    }
  }

  @Test
  void headerOnlyInputHasNoRecords() {
    assertEquals(List.of(), readAll("a,b\n"));
  }

  @Test
  void emptyInputBlankAndRepeatedColumnNamesAreRejected() {
    assertEquals("mem.csv: the input is empty; expected a header row", failure("").getMessage());
    assertEquals(
        "mem.csv: the input is empty; expected a header row", failure("\n \n").getMessage());
    assertEquals(
        "mem.csv line 1: column 2: the header names no column here",
        failure("a,,c\n").getMessage());
    CsvFormatException repeated = failure("a,b,a\n1,2,3\n");
    assertEquals(
        "mem.csv line 1: column 3: column name 'a' repeats column 1", repeated.getMessage());
    assertEquals(1, repeated.line());
    assertEquals("mem.csv", repeated.source());
  }

  @Test
  void recordWithAnotherFieldCountNamesItsLine() {
    CsvFormatException e = failure("a,b,c\n1,2,3\n1,2\n");
    assertEquals("mem.csv line 3: expected 3 fields as in the header, found 2", e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void unclosedQuoteNamesTheLineAndColumnWhereItsRecordStarts() {
    CsvFormatException e = failure("a,b,y\n1,2,0\n1,\"oops,0\n4,5,6\n");
    assertEquals(
        "mem.csv line 3: column 2: a quoted field is not closed before the end of the input",
        e.getMessage());
  }

  @Test
  void textAfterAClosingQuoteIsRejectedWithItsLine() {
    CsvFormatException e = failure("a,b\n1,2\n\"x\"y,2\n");
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith("mem.csv line 3: column 1: "), e.getMessage());
  }

  @Test
  void streamsALargeInputWithoutReadingItWhole() {
    int rows = 400_000;
    GeneratedCsv input = new GeneratedCsv(rows);
    try (CsvReader csv = CsvReader.open(input, "generated.csv")) {
      CsvRecord first = csv.next();
      assertNotNull(first);
      assertEquals(List.of("0", "0.5", "row 0"), first.cells());
      // The first record is there after at most a few buffers of an input of megabytes.
      assertTrue(input.charsRead < 64 * 1024, "read " + input.charsRead + " chars for one record");
      assertTrue(input.totalChars > 100 * input.charsRead);
      long[] count = {1};
      long[] sum = {0};
      csv.records()
          .forEach(
              record -> {
                count[0]++;
                sum[0] += Long.parseLong(record.cell(0));
              });
      assertEquals(rows, count[0]);
      assertEquals((long) rows * (rows - 1) / 2, sum[0]);
      assertEquals(input.totalChars, input.charsRead);
    }
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.csv");
    Files.writeString(file, "x,y\n1,2\n3\n");
    try (CsvReader csv = CsvReader.open(file)) {
      assertEquals(file.toString(), csv.source());
      assertArrayEquals(new Object[] {"1", "2"}, csv.next().cells().toArray());
      CsvFormatException e = assertThrows(CsvFormatException.class, csv::next);
      assertTrue(e.getMessage().startsWith(file + " line 3: "), e.getMessage());
    }
    UncheckedIOException missing =
        assertThrows(UncheckedIOException.class, () -> CsvReader.open(dir.resolve("none.csv")));
    assertTrue(missing.getMessage().contains("none.csv"), missing.getMessage());
  }

  /** A CSV input of {@code rows} records made up as it is read, counting what was read. */
  private static final class GeneratedCsv extends Reader {
    private final int rows;
    private final long totalChars;
    private long charsRead;
    private int nextRow = -1;
    private String pending = "";
    private int pendingAt;

    GeneratedCsv(int rows) {
      this.rows = rows;
      long total = line(-1).length();
      for (int r = 0; r < rows; r++) {
        total += line(r).length();
      }
      this.totalChars = total;
    }

    private static String line(int row) {
      return row < 0 ? "id,half,label\n" : row + "," + (row + 0.5) + ",\"row " + row + "\"\n";
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (pendingAt == pending.length()) {
        if (nextRow >= rows) {
          return -1;
        }
        pending = line(nextRow++);
        pendingAt = 0;
      }
      int n = Math.min(length, pending.length() - pendingAt);
      pending.getChars(pendingAt, pendingAt + n, buffer, offset);
      pendingAt += n;
      charsRead += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
