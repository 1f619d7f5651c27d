package dev.knobflow.greenmetrics.estimate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/** {@link CpuTimeReader}s of this JVM, from its management beans. */
public final class JvmCpuTime {

  private JvmCpuTime() {}

  /**
   * The whole JVM's CPU time (every thread, the JIT and the garbage collector included), from
   * {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}.
   *
   * @throws UnsupportedOperationException when this JVM does not report it
   */
  public static CpuTimeReader process() {
    if (!(ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os)
        || os.getProcessCpuTime() < 0) {
      throw new UnsupportedOperationException("this JVM does not report its process CPU time");
    }
    return () -> Duration.ofNanos(Math.max(0, os.getProcessCpuTime()));
  }

  /**
   * The CPU time of the thread that calls {@link CpuTimeReader#cpuTime()} (so a trial is counted by
   * reading on its evaluating thread before and after), from {@link
   * ThreadMXBean#getCurrentThreadCpuTime()}. Threads the trial starts itself are not counted.
   *
   * @throws UnsupportedOperationException when this JVM does not measure thread CPU time
   */
  public static CpuTimeReader currentThread() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      throw new UnsupportedOperationException("this JVM does not measure thread CPU time");
    }
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    return () -> Duration.ofNanos(Math.max(0, threads.getCurrentThreadCpuTime()));
  }
}
