package dev.knobflow.greenmetrics.bench;

import dev.knobflow.greenmetrics.nvidia.FakeNvidiaSmi;
import dev.knobflow.greenmetrics.nvidia.NvidiaSmiConfig;
import dev.knobflow.greenmetrics.nvidia.NvidiaSmiSource;
import dev.knobflow.greenmetrics.power.Device;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU cost of the nvidia-smi sampler: CPU time of the reader thread (read, parse, align, store) per
 * second of sampling, with the fake nvidia-smi emitting at the requested {@code -lms}.
 *
 * <p>Arguments: {@code [secondsPerCase]} (default 10). Run with {@code bench/green-metrics/run.sh}.
 */
public final class NvidiaSmiSamplerBench {

  private static final String READER_THREAD = "knobflow-nvidia-smi-reader";

  private NvidiaSmiSamplerBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10.0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
    System.out.printf(
        Locale.ROOT,
        "%-10s %-5s %8s %9s %14s %14s%n",
        "interval",
        "gpus",
        "rows/s",
        "wall s",
        "reader CPU %",
        "us CPU / row");
    for (String fixture : List.of("bench-1gpu", "bench-8gpu")) {
      for (int intervalMs : new int[] {10, 100, 1000}) {
        runCase(threads, fixture, intervalMs, intervalMs == 1000 ? seconds * 2 : seconds);
      }
    }
  }

  private static void runCase(ThreadMXBean threads, String fixture, int intervalMs, double seconds)
      throws Exception {
    Path dir = Files.createTempDirectory("knobflow-bench");
    NvidiaSmiConfig config =
        NvidiaSmiConfig.builder()
            .executable(FakeNvidiaSmi.install(dir, fixture).toString())
            .interval(Duration.ofMillis(intervalMs))
            .environment(Map.of())
            .build();
    try (NvidiaSmiSource source = NvidiaSmiSource.create(config)) {
      source.start();
      List<Device> devices = source.devices();
      Device first = devices.get(0);
      // Wait for the sampler to be up, so process start-up is not counted.
      while (source.samples(first, Long.MIN_VALUE, Long.MAX_VALUE).isEmpty()) {
        Thread.sleep(5);
      }
      long readerId = readerThreadId(threads);
      long cpu0 = threads.getThreadCpuTime(readerId);
      long rows0 = totalAppended(source, devices);
      long t0 = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      long cpu1 = threads.getThreadCpuTime(readerId);
      long rows1 = totalAppended(source, devices);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (cpu1 - cpu0) / 1e9;
      long rows = rows1 - rows0;
      System.out.printf(
          Locale.ROOT,
          "%-10s %-5d %8.1f %9.1f %13.4f%% %14.1f%n",
          intervalMs + " ms",
          devices.size(),
          rows / wall,
          wall,
          100.0 * cpuSeconds / wall,
          rows > 0 ? cpuSeconds * 1e6 / rows : Double.NaN);
    }
  }

  private static long totalAppended(NvidiaSmiSource source, List<Device> devices) {
    long n = 0;
    for (Device d : devices) {
      n += source.samples(d, Long.MIN_VALUE, Long.MAX_VALUE).size();
    }
    return n;
  }

  private static long readerThreadId(ThreadMXBean threads) {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals(READER_THREAD)) {
        return info.getThreadId();
      }
    }
    throw new IllegalStateException("reader thread " + READER_THREAD + " not found");
  }
}
