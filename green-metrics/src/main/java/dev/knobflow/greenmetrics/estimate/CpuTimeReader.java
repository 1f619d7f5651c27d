package dev.knobflow.greenmetrics.estimate;

import java.time.Duration;

/**
 * Reads a CPU time (user plus system) consumed so far: of this JVM, of the calling thread, or
 * whatever an implementation counts. The seam behind the CPU-time energy estimate, so tests can
 * drive it with a fake.
 */
@FunctionalInterface
public interface CpuTimeReader {

  /** The CPU time consumed so far; only differences between two reads mean anything. */
  Duration cpuTime();
}
