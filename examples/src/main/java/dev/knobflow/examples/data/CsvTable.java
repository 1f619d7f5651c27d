package dev.knobflow.examples.data;

import dev.knobflow.plugin.csv.CsvFormatException;
import dev.knobflow.plugin.csv.CsvReader;
import dev.knobflow.plugin.csv.CsvRecord;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a numeric {@link Table} from CSV through Knobflow's one CSV reader ({@link CsvReader}: a
 * header row, quoting, missing cells): every cell a finite number, one of the columns the target.
 *
 * <pre>{@code
 * Table table = CsvTable.read(Path.of("breast_cancer.csv"), "target");
 * }</pre>
 *
 * <p>Bad input fails with a {@link CsvFormatException} naming the file, line and column.
 */
public final class CsvTable {

  private CsvTable() {}

  /** Reads a UTF-8 CSV file whose target column is {@code targetColumn}. */
  public static Table read(Path path, String targetColumn) {
    return read(CsvReader.open(path), targetColumn);
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
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    return read(CsvReader.open(reader, "classpath:" + resource), targetColumn);
  }

  /**
   * Reads CSV text; {@code source} names it in error messages.
   *
   * @throws CsvFormatException if the text is not a numeric table with the target column
   */
  public static Table read(Reader reader, String source, String targetColumn) {
    return read(CsvReader.open(reader, source), targetColumn);
  }

  private static Table read(CsvReader csv, String targetColumn) {
    try (csv) {
      List<String> header = csv.header();
      int target = header.indexOf(targetColumn);
      if (target < 0) {
        throw new CsvFormatException(
            csv.source(),
            csv.headerLine(),
            "no target column '" + targetColumn + "' in the header; columns are " + header);
      }
      List<String> featureNames = new ArrayList<>(header);
      featureNames.remove(target);
      if (featureNames.isEmpty()) {
        throw new CsvFormatException(
            csv.source(),
            csv.headerLine(),
            "the header has only the target column; no features to learn from");
      }
      List<double[]> rows = new ArrayList<>();
      List<Double> targets = new ArrayList<>();
      csv.records()
          .forEach(
              record -> {
                double[] row = new double[featureNames.size()];
                int f = 0;
                for (int c = 0; c < header.size(); c++) {
                  double value = number(record, c, header.get(c));
                  if (c == target) {
                    targets.add(value);
                  } else {
                    row[f++] = value;
                  }
                }
                rows.add(row);
              });
      if (rows.isEmpty()) {
        throw new CsvFormatException(csv.source(), 0, "the file has a header but no data rows");
      }
      double[] t = targets.stream().mapToDouble(Double::doubleValue).toArray();
      return new Table(csv.source(), featureNames, targetColumn, rows.toArray(double[][]::new), t);
    }
  }

  private static double number(CsvRecord record, int index, String column) {
    String text = record.cell(index);
    String named = "'" + column + "' ";
    if (text == null) {
      throw record.error(index, named + "is missing; a number is required");
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw record.error(index, named + "holds '" + text + "', which is not a number");
    }
    if (!Double.isFinite(value)) {
      throw record.error(index, named + "holds '" + text + "'; only finite numbers are allowed");
    }
    return value;
  }
}
