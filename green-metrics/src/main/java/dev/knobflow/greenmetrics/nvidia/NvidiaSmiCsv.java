package dev.knobflow.greenmetrics.nvidia;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Parser for {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits} lines.
 *
 * <p>Cells that start with {@code [} ({@code [N/A]}, {@code [Not Supported]}, {@code [Unknown
 * Error]}, {@code [Requested functionality has been deprecated]}, ...) and the literal {@code N/A}
 * are absent values. Anything else that is not a number where a number belongs makes the whole line
 * malformed.
 */
public final class NvidiaSmiCsv {

  public static final String TIMESTAMP = "timestamp";
  public static final String INDEX = "index";
  public static final String UUID = "uuid";
  public static final String NAME = "name";
  public static final String POWER_DRAW = "power.draw";
  public static final String POWER_DRAW_INSTANT = "power.draw.instant";
  public static final String UTILIZATION_GPU = "utilization.gpu";
  public static final String MEMORY_USED = "memory.used";

  /** nvidia-smi's timestamp format, e.g. {@code 2024/05/01 12:34:56.789}. */
  public static final DateTimeFormatter TIMESTAMP_FORMAT =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

  private final List<String> fields;
  private final int timestampAt;
  private final int indexAt;
  private final int uuidAt;
  private final int powerAt;
  private final int instantAt;
  private final int utilizationAt;
  private final int memoryAt;

  /**
   * A parser for lines whose columns are {@code fields}, in that order (the {@code --query-gpu}
   * list). {@code index} and {@code uuid} are required.
   */
  public NvidiaSmiCsv(List<String> fields) {
    this.fields = List.copyOf(fields);
    this.timestampAt = fields.indexOf(TIMESTAMP);
    this.indexAt = fields.indexOf(INDEX);
    this.uuidAt = fields.indexOf(UUID);
    this.powerAt = fields.indexOf(POWER_DRAW);
    this.instantAt = fields.indexOf(POWER_DRAW_INSTANT);
    this.utilizationAt = fields.indexOf(UTILIZATION_GPU);
    this.memoryAt = fields.indexOf(MEMORY_USED);
    if (indexAt < 0 || uuidAt < 0) {
      throw new IllegalArgumentException("fields must include index and uuid, got " + fields);
    }
  }

  public List<String> fields() {
    return fields;
  }

  /**
   * Parses one line.
   *
   * @throws MalformedLineException saying what is wrong with it
   */
  public GpuReading parse(String line) {
    List<String> cells = split(line);
    if (cells.size() != fields.size()) {
      throw new MalformedLineException(
          "expected " + fields.size() + " cells " + fields + ", got " + cells.size());
    }
    LocalDateTime timestamp = null;
    if (timestampAt >= 0) {
      try {
        timestamp = LocalDateTime.parse(cells.get(timestampAt), TIMESTAMP_FORMAT);
      } catch (DateTimeParseException e) {
        throw new MalformedLineException("bad timestamp '" + cells.get(timestampAt) + "'");
      }
    }
    int index;
    try {
      index = Integer.parseInt(cells.get(indexAt));
    } catch (NumberFormatException e) {
      throw new MalformedLineException("bad index '" + cells.get(indexAt) + "'");
    }
    if (index < 0) {
      throw new MalformedLineException("negative index " + index);
    }
    String uuid = cells.get(uuidAt);
    if (uuid.isEmpty() || isAbsent(uuid)) {
      throw new MalformedLineException("missing uuid");
    }
    return new GpuReading(
        timestamp,
        index,
        uuid,
        number(cells, powerAt, POWER_DRAW),
        number(cells, instantAt, POWER_DRAW_INSTANT),
        number(cells, utilizationAt, UTILIZATION_GPU),
        number(cells, memoryAt, MEMORY_USED));
  }

  /** Splits on commas and trims each cell (nvidia-smi writes {@code ", "} between cells). */
  static List<String> split(String line) {
    List<String> cells = new ArrayList<>(8);
    int from = 0;
    while (true) {
      int comma = line.indexOf(',', from);
      if (comma < 0) {
        cells.add(line.substring(from).trim());
        return cells;
      }
      cells.add(line.substring(from, comma).trim());
      from = comma + 1;
    }
  }

  /** True for cells nvidia-smi uses to say "no value": {@code [...]} and {@code N/A}. */
  static boolean isAbsent(String cell) {
    return cell.startsWith("[") || cell.equals("N/A");
  }

  private static OptionalDouble number(List<String> cells, int at, String field) {
    if (at < 0) {
      return OptionalDouble.empty();
    }
    String cell = cells.get(at);
    if (isAbsent(cell)) {
      return OptionalDouble.empty();
    }
    try {
      double value = Double.parseDouble(cell);
      if (!Double.isFinite(value) || value < 0) {
        throw new MalformedLineException(field + " out of range: '" + cell + "'");
      }
      return OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      throw new MalformedLineException("bad " + field + " '" + cell + "'");
    }
  }

  /** A line that is not a valid row for the query. */
  public static final class MalformedLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedLineException(String message) {
      super(message);
    }
  }
}
