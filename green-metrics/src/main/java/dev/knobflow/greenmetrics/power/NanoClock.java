package dev.knobflow.greenmetrics.power;

/** A monotonic nanosecond clock; the seam that lets tests drive time. */
@FunctionalInterface
public interface NanoClock {

  /** The JVM's monotonic clock. */
  NanoClock SYSTEM = System::nanoTime;

  long nanoTime();
}
