package dev.knobflow.greenmetrics.rapl;

import dev.knobflow.greenmetrics.power.NanoClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RaplSource}.
 *
 * @param powercapRoot the powercap sysfs directory, normally {@code /sys/class/powercap}
 * @param interval how often the counters are read
 * @param clock the monotonic clock samples are stamped on
 * @param reader how counter files are read (the seam tests use to simulate permission errors)
 */
public record RaplConfig(Path powercapRoot, Duration interval, NanoClock clock, FileReader reader) {

  /** Default powercap location. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/class/powercap");

  /** Default polling interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  public RaplConfig {
    Objects.requireNonNull(powercapRoot, "powercapRoot");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(reader, "reader");
    if (interval == null || interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be >= 1 ms, got " + interval);
    }
  }

  /** Defaults: {@code /sys/class/powercap}, 100 ms. */
  public static RaplConfig defaults() {
    return of(DEFAULT_ROOT, DEFAULT_INTERVAL);
  }

  /** A config with the system clock and plain file reads. */
  public static RaplConfig of(Path powercapRoot, Duration interval) {
    return new RaplConfig(powercapRoot, interval, NanoClock.SYSTEM, FileReader.FILES);
  }

  /** Reads a small sysfs file as text. */
  @FunctionalInterface
  public interface FileReader {
    FileReader FILES = java.nio.file.Files::readString;

    String read(Path file) throws java.io.IOException;
  }
}
