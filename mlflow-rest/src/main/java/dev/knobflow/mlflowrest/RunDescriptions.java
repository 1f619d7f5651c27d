package dev.knobflow.mlflowrest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A run's description ({@code mlflow.note.content}) built from parts that different writers own:
 * the tracking listener's study summary, the advisor's summary, and so on. Each writer replaces
 * only its own part; the description written is every part of the run in {@link Part#order()}, so
 * no writer overwrites another's text. When the parts together exceed the limit (MLflow's tag value
 * limit, 8,000 characters), the longest parts are shortened first, each keeping at least a fair
 * share.
 *
 * <p>Thread-safe. One instance must serve every writer of the same runs.
 */
public final class RunDescriptions {

  /** Separates two parts of a description. */
  static final String SEPARATOR = "\n\n";

  /** Ends a part that was shortened to fit. */
  static final String TRUNCATED = "\n\n... (shortened to fit MLflow's description limit)";

  private final MlflowWriter writer;
  private final int limit;
  private final Map<String, TreeMap<Part, String>> byRun = new HashMap<>();

  /**
   * Names one writer's part of a description.
   *
   * @param key who owns the part, e.g. {@code knobflow.summary}
   * @param order where it goes: lower first
   */
  public record Part(String key, int order) {
    public Part {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("key must not be blank");
      }
    }
  }

  private RunDescriptions(MlflowWriter writer, int limit) {
    this.writer = Objects.requireNonNull(writer, "writer");
    if (limit < 200) {
      throw new IllegalArgumentException("limit must be at least 200 characters, got " + limit);
    }
    this.limit = limit;
  }

  /** Descriptions written through {@code writer}, at most MLflow's 8,000 characters. */
  public static RunDescriptions over(MlflowWriter writer) {
    return new RunDescriptions(writer, MlflowLimits.mlflowDefaults().maxTagValueLength());
  }

  /** Descriptions of at most {@code limit} characters (at least 200). */
  public static RunDescriptions over(MlflowWriter writer, int limit) {
    return new RunDescriptions(writer, limit);
  }

  /** The most characters a description has. */
  public int limit() {
    return limit;
  }

  /**
   * Sets {@code part} of run {@code runId} to {@code markdown} and writes the whole description.
   */
  public void put(String runId, Part part, String markdown) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(markdown, "markdown");
    synchronized (this) {
      TreeMap<Part, String> parts =
          byRun.computeIfAbsent(
              runId,
              r -> new TreeMap<>(Comparator.comparingInt(Part::order).thenComparing(Part::key)));
      parts.put(part, markdown);
      // Written while holding the lock, so the writer's queue sees descriptions in this order.
      writer.setDescription(runId, compose(new ArrayList<>(parts.values()), limit));
    }
  }

  /** The description last written for {@code runId} by this instance. */
  public synchronized Optional<String> current(String runId) {
    TreeMap<Part, String> parts = byRun.get(runId);
    return parts == null
        ? Optional.empty()
        : Optional.of(compose(new ArrayList<>(parts.values()), limit));
  }

  /**
   * Joins {@code parts} with blank lines into at most {@code limit} characters. A part longer than
   * its share is shortened (and says so); shares of short parts go to the long ones.
   */
  static String compose(List<String> parts, int limit) {
    int n = parts.size();
    int budget = Math.max(0, limit - SEPARATOR.length() * (n - 1));
    int[] caps = new int[n];
    Integer[] byLength = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLength[i] = i;
    }
    java.util.Arrays.sort(byLength, Comparator.comparingInt(i -> parts.get(i).length()));
    int remaining = budget;
    for (int k = 0; k < n; k++) {
      int i = byLength[k];
      int share = remaining / (n - k);
      caps[i] = Math.min(parts.get(i).length(), share);
      remaining -= caps[i];
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(SEPARATOR);
      }
      String text = parts.get(i);
      if (text.length() <= caps[i]) {
        sb.append(text);
      } else if (caps[i] > TRUNCATED.length()) {
        sb.append(text, 0, caps[i] - TRUNCATED.length()).append(TRUNCATED);
      } else {
        sb.append(text, 0, caps[i]);
      }
    }
    return sb.toString();
  }
}
