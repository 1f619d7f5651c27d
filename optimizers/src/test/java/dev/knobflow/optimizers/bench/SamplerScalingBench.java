package dev.knobflow.optimizers.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.GridSampler;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each sampler's cost grows with the study: one study per sampler on a fixed mixed space (5
 * floats, 1 log float, 1 int, 1 categorical) with a cheap analytic objective, in memory. Times
 * {@code ask()} alone (sampling, not the objective nor {@code tell}) and reports, per window of
 * trials, the mean (wall and this thread's CPU) and the largest ask time and the used heap after a
 * {@code System.gc()} (outside the timed part), and the first trial at which the mean of the last
 * {@value #ROLLING} asks exceeds 100 ms and 1 s. A wall-time cap stops samplers whose cost grows
 * super-linearly.
 *
 * <p>Prints one JSON line per sampler to standard output; bench/sampler-scaling/run.sh runs it once
 * per sampler (a fresh JVM each, so the peak memory is that sampler's) next to the Optuna side
 * (optuna_scaling.py, the same space, objective, windows and cap) and prints the table.
 *
 * <p>Usage: {@code SamplerScalingBench SAMPLER TRIALS CAP_SECONDS [SEED]} with SAMPLER one of
 * {@link #SAMPLERS}.
 */
public final class SamplerScalingBench {

  /** Sampler names; the {@code -mo} ones run the two-objective variant. */
  static final List<String> SAMPLERS =
      List.of(
          "random",
          "grid",
          "sobol",
          "tpe",
          "tpe-mv",
          "gp",
          "nsga2",
          "auto",
          "tpe-mo",
          "nsga2-mo",
          "auto-mo");

  /** Window ends: statistics cover the trials since the previous end. */
  static final int[] WINDOW_ENDS = {100, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000};

  /** Asks averaged for the 100 ms / 1 s thresholds. */
  static final int ROLLING = 10;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SamplerScalingBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: SamplerScalingBench SAMPLER TRIALS CAP_SECONDS [SEED]; SAMPLER one of "
              + SAMPLERS);
    }
    String sampler = args[0];
    int trials = Integer.parseInt(args[1]);
    double capSeconds = Double.parseDouble(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
    if (!SAMPLERS.contains(sampler)) {
      throw new IllegalArgumentException("sampler: '" + sampler + "' is not one of " + SAMPLERS);
    }
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be >= 1, got " + trials);
    }
    Map<String, Object> row = run(sampler, trials, capSeconds, seed);
    System.out.println(new ObjectMapper().writeValueAsString(row));
  }

  /** The space: 5 floats, a log float, an int and a categorical. */
  static SearchSpace space() {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int i = 0; i < 5; i++) {
      b.add("x" + i, FloatDistribution.of(-5, 5));
    }
    b.add("lr", FloatDistribution.logOf(1e-5, 1e-1));
    b.add("layers", IntDistribution.of(1, 10));
    b.add("act", CategoricalDistribution.of("relu", "tanh", "gelu"));
    return b.build();
  }

  /** The grid for the grid sampler: 4^5 * 4 * 3 * 3 = 36,864 points (more than 10,000 trials). */
  static Map<String, List<Object>> grid() {
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      grid.put("x" + i, List.of(-3.75, -1.25, 1.25, 3.75));
    }
    grid.put("lr", List.of(1e-5, 1e-4, 1e-3, 1e-2));
    grid.put("layers", List.of(2L, 5L, 8L));
    grid.put("act", List.of("relu", "tanh", "gelu"));
    return grid;
  }

  static Sampler sampler(String name, long seed) {
    return switch (name) {
      case "random" -> RandomSampler.seeded(seed);
      case "grid" -> GridSampler.shuffled(grid(), seed);
      case "sobol" -> SobolSampler.seeded(seed);
      case "tpe", "tpe-mo" -> TpeSampler.seeded(seed);
      case "tpe-mv" -> TpeSampler.builder().seed(seed).multivariate(true).build();
      case "gp" -> GpSampler.seeded(seed);
      case "nsga2", "nsga2-mo" -> NsgaIISampler.builder().seed(seed).build();
      case "auto", "auto-mo" -> AutoSampler.seeded(seed);
      default -> throw new IllegalArgumentException("unknown sampler " + name);
    };
  }

  /**
   * The objectives of one trial: a shifted sphere with log-lr, int and categorical terms; the
   * second objective (two-objective runs) is the same shape around another centre.
   */
  static double[] objective(Map<String, Object> p, int objectives) {
    double lr = Math.log10(((Number) p.get("lr")).doubleValue());
    double layers = ((Number) p.get("layers")).doubleValue();
    String act = (String) p.get("act");
    double f1 = 0;
    double f2 = 0;
    for (int i = 0; i < 5; i++) {
      double x = ((Number) p.get("x" + i)).doubleValue();
      f1 += (x - 1) * (x - 1);
      f2 += (x + 1) * (x + 1);
    }
    f1 += (lr + 3) * (lr + 3) + (layers - 4) * (layers - 4) / 10 + (act.equals("gelu") ? 0 : 1);
    f2 += (lr + 2) * (lr + 2) + (layers - 7) * (layers - 7) / 10 + (act.equals("relu") ? 0 : 1);
    return objectives == 1 ? new double[] {f1} : new double[] {f1, f2};
  }

  static Map<String, Object> run(String samplerName, int trials, double capSeconds, long seed) {
    int objectives = samplerName.endsWith("-mo") ? 2 : 1;
    List<Objective> objs =
        objectives == 1
            ? List.of(Objective.minimize("f1"))
            : List.of(Objective.minimize("f1"), Objective.minimize("f2"));
    Study study =
        Study.builder("scaling-" + samplerName)
            .objectives(objs)
            .storage(InMemoryStorage.create())
            .space(space())
            .sampler(sampler(samplerName, seed))
            .build();
    resetPeaks();
    long capNanos = (long) (capSeconds * 1e9);
    long begin = System.nanoTime();
    long samplerNanos = 0;
    List<Map<String, Object>> windows = new ArrayList<>();
    int windowStart = 0;
    long windowNanos = 0;
    long windowCpuNanos = 0;
    long windowMax = 0;
    long[] recent = new long[ROLLING];
    long rollingNanos = 0;
    int firstOver100ms = -1;
    int firstOver1s = -1;
    int done = 0;
    String stopped = "done";
    int nextEnd = nextWindowEnd(0, trials);
    while (done < trials) {
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      Trial trial = study.ask();
      long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      long ask = System.nanoTime() - start;
      study.tell(trial, TrialResult.of(objective(trial.params(), objectives)));
      done++;
      samplerNanos += ask;
      windowNanos += ask;
      windowCpuNanos += cpu;
      windowMax = Math.max(windowMax, ask);
      // "Stops scaling at": the first trial whose last ROLLING asks average over the threshold, so
      // one-off spikes (class loading, a GC pause) do not count.
      rollingNanos += ask - recent[done % ROLLING];
      recent[done % ROLLING] = ask;
      if (done >= ROLLING && firstOver100ms < 0 && rollingNanos > 100_000_000L * ROLLING) {
        firstOver100ms = done;
      }
      if (done >= ROLLING && firstOver1s < 0 && rollingNanos > 1_000_000_000L * ROLLING) {
        firstOver1s = done;
      }
      boolean capped = done < trials && System.nanoTime() - begin > capNanos;
      if (done == nextEnd || capped) {
        windows.add(window(windowStart, done, windowNanos, windowCpuNanos, windowMax));
        windowStart = done;
        windowNanos = 0;
        windowCpuNanos = 0;
        windowMax = 0;
        nextEnd = nextWindowEnd(done, trials);
      }
      if (capped) {
        stopped = "cap";
        break;
      }
    }
    double wall = (System.nanoTime() - begin) / 1e9;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("side", "knobflow");
    row.put("sampler", samplerName);
    row.put("describe", study.sampler().describe());
    row.put("objectives", objectives);
    row.put("trials_requested", trials);
    row.put("trials_done", done);
    row.put("stopped", stopped);
    row.put("cap_seconds", capSeconds);
    row.put("wall_seconds", wall);
    row.put("sampler_seconds", samplerNanos / 1e9);
    row.put("first_over_100ms", firstOver100ms < 0 ? null : firstOver100ms);
    row.put("first_over_1s", firstOver1s < 0 ? null : firstOver1s);
    row.put("windows", windows);
    row.put("peak_heap_mb", peakHeapBytes() / 1e6);
    row.put("peak_rss_mb", peakRssKb() / 1e3);
    row.put("memory_kind", "used heap after System.gc()");
    return row;
  }

  private static int nextWindowEnd(int done, int trials) {
    for (int end : WINDOW_ENDS) {
      if (end > done && end < trials) {
        return end;
      }
    }
    return trials;
  }

  private static Map<String, Object> window(
      int from, int to, long nanos, long cpuNanos, long maxNanos) {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("from", from);
    w.put("to", to);
    w.put("mean_ms", nanos / 1e6 / (to - from));
    w.put("cpu_mean_ms", cpuNanos / 1e6 / (to - from));
    w.put("max_ms", maxNanos / 1e6);
    w.put("memory_mb", (rt.totalMemory() - rt.freeMemory()) / 1e6);
    return w;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** The sum of the heap pools' peaks: the most heap the study ever held, garbage included. */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** The process's peak resident set (VmHWM), or -1 where /proc is not there. */
  private static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
