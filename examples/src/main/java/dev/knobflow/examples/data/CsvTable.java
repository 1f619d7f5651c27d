package dev.knobflow.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a numeric table from CSV: a header row of column names, then one row per example with a
 * number in every cell, one of the columns being the target. Cells are separated by commas; quoting
 * is not supported (the shipped datasets do not need it). Blank lines are skipped.
 *
 * <pre>{@code
 * Table table = CsvTable.read(Path.of("breast_cancer.csv"), "target");
 * }</pre>
 *
 * <p>Bad input fails with a {@link CsvFormatException} naming the file, line and column.
 */
public final class CsvTable {

  private CsvTable() {}

  /** Reads a CSV file whose target column is {@code targetColumn}. */
  public static Table read(Path path, String targetColumn) {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return read(reader, path.toString(), targetColumn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a CSV classpath resource, e.g. {@code /datasets/breast_cancer.csv}.
   *
   * @throws IllegalArgumentException if there is no such resource
   */
  public static Table readResource(String resource, String targetColumn) {
    InputStream in = CsvTable.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalArgumentException("no classpath resource '" + resource + "'");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return read(reader, "classpath:" + resource, targetColumn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads CSV text; {@code source} names it in error messages.
   *
   * @throws CsvFormatException if the text is not a numeric table with the target column
   */
  public static Table read(Reader reader, String source, String targetColumn) throws IOException {
    BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String headerLine = lines.readLine();
    int lineNumber = 1;
    while (headerLine != null && headerLine.isBlank()) {
      headerLine = lines.readLine();
      lineNumber++;
    }
    if (headerLine == null) {
      throw new CsvFormatException(source, 0, "the file is empty; expected a header row");
    }
    List<String> header = parseHeader(stripBom(headerLine), source, lineNumber);
    int target = header.indexOf(targetColumn);
    if (target < 0) {
      throw new CsvFormatException(
          source,
          lineNumber,
          "no target column '" + targetColumn + "' in the header; columns are " + header);
    }
    List<String> featureNames = new ArrayList<>(header);
    featureNames.remove(target);
    if (featureNames.isEmpty()) {
      throw new CsvFormatException(
          source, lineNumber, "the header has only the target column; no features to learn from");
    }

    List<double[]> rows = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != header.size()) {
        throw new CsvFormatException(
            source,
            lineNumber,
            "expected " + header.size() + " cells like the header, found " + cells.length);
      }
      double[] row = new double[featureNames.size()];
      int f = 0;
      for (int c = 0; c < cells.length; c++) {
        double value = parseCell(cells[c], header.get(c), c, source, lineNumber);
        if (c == target) {
          targets.add(value);
        } else {
          row[f++] = value;
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new CsvFormatException(source, 0, "the file has a header but no data rows");
    }
    double[] t = new double[targets.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = targets.get(i);
    }
    return new Table(source, featureNames, targetColumn, rows.toArray(double[][]::new), t);
  }

  private static List<String> parseHeader(String line, String source, int lineNumber) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String[] cells = line.split(",", -1);
    for (int c = 0; c < cells.length; c++) {
      String name = cells[c].trim();
      if (name.isEmpty()) {
        throw new CsvFormatException(
            source, lineNumber, "column " + (c + 1) + " of the header has no name");
      }
      if (!seen.add(name)) {
        throw new CsvFormatException(
            source, lineNumber, "column name '" + name + "' appears more than once in the header");
      }
      names.add(name);
    }
    return names;
  }

  private static double parseCell(
      String cell, String column, int index, String source, int lineNumber) {
    String text = cell.trim();
    String where = "column '" + column + "' (" + (index + 1) + ")";
    if (text.isEmpty()) {
      throw new CsvFormatException(source, lineNumber, where + " is empty; a number is required");
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new CsvFormatException(
          source, lineNumber, where + " holds '" + text + "', which is not a number");
    }
    if (!Double.isFinite(value)) {
      throw new CsvFormatException(
          source, lineNumber, where + " holds '" + text + "'; only finite numbers are allowed");
    }
    return value;
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }
}
