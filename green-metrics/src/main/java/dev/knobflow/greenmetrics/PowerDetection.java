package dev.knobflow.greenmetrics;

import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Outcome of {@link PowerSources#detect(DetectionConfig)}: the started sources and a record of
 * every source that was tried.
 *
 * @param sources started sources (close them when done)
 * @param attempts one entry per source tried, available or not
 */
public record PowerDetection(List<PowerSource> sources, List<Attempt> attempts) {

  public PowerDetection {
    sources = List.copyOf(sources);
    attempts = List.copyOf(attempts);
  }

  /**
   * One tried source.
   *
   * @param source source name, e.g. {@code nvidia-smi}
   * @param available whether it started
   * @param detail what it measures, or why it is unavailable
   */
  public record Attempt(String source, boolean available, String detail) {
    public Attempt {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return source + ": " + (available ? "available, " : "unavailable, ") + detail;
    }
  }

  /** True when no source could be started. */
  public boolean isEmpty() {
    return sources.isEmpty();
  }

  /** A multi-line summary of everything tried, for logs and error messages. */
  public String summary() {
    return attempts.stream().map(a -> "  - " + a).collect(Collectors.joining("\n"));
  }

  /**
   * The sources, or an exception listing what was tried and why each failed (for studies that
   * declare an energy objective).
   */
  public List<PowerSource> requireAny() {
    if (isEmpty()) {
      throw new PowerSourceException(
          "No power source is available, so energy cannot be measured. Tried:\n"
              + summary()
              + "\nFix one of these, or configure an explicit constant power per device.");
    }
    return sources;
  }
}
