package dev.knobflow.bench.scaledb;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Knobflow's side of bench/scale-db: W workers on one study in PostgreSQL, each running trials of
 * an objective that sleeps 1 s; {@code Study.ask()} and {@code Study.tell()} are timed around the
 * Java API calls. The random sampler and a declared space of two floats (suggested inside {@code
 * ask}).
 *
 * <ul>
 *   <li>{@code threads URL STUDY W TRIALS POOL}: W threads in this JVM share one {@code Study} and
 *       one {@link PostgresStorage} (a pool of POOL connections).
 *   <li>{@code processes URL STUDY W TRIALS POOL HEAP [JVM_OPTIONS]}: W child JVMs ({@code
 *       -XmxHEAP} and the space-separated JVM_OPTIONS, e.g. a CDS archive), each a {@code worker}
 *       with its own storage (POOL connections); the clock starts when every child has connected
 *       and says ready, so JVM start-up is not in trials/s; it is reported apart (the wall time
 *       from the first launch to the last ready, and each worker's start-up CPU).
 *   <li>{@code worker URL STUDY N POOL}: one child: prints {@code ready} and its CPU time so far,
 *       waits for a line on stdin, runs N trials, prints one line: its ask and tell latencies, its
 *       CPU time at ready, after the first trial and at the end, and each tell's end time.
 *   <li>{@code verify URL STUDY TRIALS}: one JSON line: whether the study holds exactly TRIALS
 *       COMPLETE trials numbered 0..TRIALS-1 (run after the database's counters are read).
 * </ul>
 *
 * <p>The parent modes print one JSON line: wall time from the start signal to the last tell,
 * trials/s over it (end to end), the steady-state trials/s (between the moment every worker has
 * finished its first trial and the moment the first one has finished its last), p50/p99 of ask
 * and tell in ms, the client-side transaction count, and the client's CPU time per trial (threads:
 * the one JVM; processes: the workers' from the start signal to their end, and apart from it each
 * worker's start-up CPU, its first trial's, and its CPU per trial after the first).
 */
public final class ScaleDbBench {

  private static final long OBJECTIVE_MS = 1000;

  /** USER_HZ: the unit of /proc/PID/stat's CPU times; 100 on every Linux build that matters. */
  private static final long CLOCK_TICKS = 100;

  private ScaleDbBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    PostgresUrl url = PostgresUrl.parse(args[1]);
    String name = args[2];
    switch (mode) {
      case "threads" -> threads(url, name, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      case "processes" -> processes(url, args[1], name, Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6],
          args.length > 7 && !args[7].isBlank() ? List.of(args[7].trim().split("\\s+"))
              : List.of());
      case "verify" -> System.out.println(verify(url, name, Integer.parseInt(args[3])));
      case "worker" -> worker(url, name, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException(
          "unknown mode '" + mode + "'; allowed: threads, processes, worker, verify");
    }
  }

  static PostgresStorage open(PostgresUrl url, int pool) {
    return PostgresStorage.open(url, System.getenv(),
        PostgresStorage.Options.defaults().withPoolSize(pool));
  }

  static Study study(PostgresStorage storage, String name) {
    return Study.builder(name)
        .storage(storage)
        .sampler(RandomSampler.create())
        .space(SearchSpace.builder().floatParam("x", -5, 5).floatParam("y", -5, 5).build())
        .build();
  }

  /**
   * One trial: ask, sleep 1 s, tell; adds the two latencies in nanoseconds and the tell's end
   * ({@code System.nanoTime()}: CLOCK_MONOTONIC on Linux, one clock for every process on the
   * machine, so the parent can merge its children's).
   */
  static void trial(Study study, List<Long> asks, List<Long> tells, List<Long> ends)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Trial trial = study.ask();
    long t1 = System.nanoTime();
    Map<String, Object> p = trial.params();
    double x = ((Number) p.get("x")).doubleValue();
    double y = ((Number) p.get("y")).doubleValue();
    Thread.sleep(OBJECTIVE_MS);
    long t2 = System.nanoTime();
    study.tell(trial, TrialResult.of((x - 1) * (x - 1) + (y + 2) * (y + 2)));
    long t3 = System.nanoTime();
    asks.add(t1 - t0);
    tells.add(t3 - t2);
    ends.add(t3);
  }

  /**
   * This process's CPU time (user + system, all its threads: JIT, GC and the pool's included) in
   * ms, from /proc/self/stat (clock ticks, 10 ms on Linux); -1 where there is no /proc.
   */
  static long cpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 1000 / CLOCK_TICKS;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Steady-state throughput: tells per second between the moment every worker has finished its
   * first trial and the moment the first worker has finished its last (the start-up round and the
   * tail of the last round left out); NaN when that window is empty.
   */
  static double steadyTrialsPerS(List<List<Long>> endsPerWorker) {
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (List<Long> ends : endsPerWorker) {
      if (ends.isEmpty()) {
        continue;
      }
      from = Math.max(from, ends.get(0));
      to = Math.min(to, ends.get(ends.size() - 1));
    }
    if (from == Long.MIN_VALUE || to <= from) {
      return Double.NaN;
    }
    long count = 0;
    for (List<Long> ends : endsPerWorker) {
      for (long e : ends) {
        if (e > from && e <= to) {
          count++;
        }
      }
    }
    return count / ((to - from) / 1e9);
  }

  static void threads(PostgresUrl url, String name, int workers, int trials, int pool)
      throws Exception {
    try (PostgresStorage storage = open(url, pool)) {
      Study study = study(storage, name);
      AtomicInteger left = new AtomicInteger(trials);
      List<Long> asks = new ArrayList<>();
      List<Long> tells = new ArrayList<>();
      List<List<Long>> ends = new ArrayList<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      List<Thread> all = new ArrayList<>();
      long cpu0 = cpuMs();
      long start = System.nanoTime();
      for (int i = 0; i < workers; i++) {
        Thread t =
            new Thread(
                () -> {
                  List<Long> a = new ArrayList<>();
                  List<Long> b = new ArrayList<>();
                  List<Long> e = new ArrayList<>();
                  try {
                    while (left.getAndDecrement() > 0) {
                      trial(study, a, b, e);
                    }
                  } catch (Throwable ex) {
                    errors.add(ex);
                  }
                  synchronized (asks) {
                    asks.addAll(a);
                    tells.addAll(b);
                    ends.add(e);
                  }
                },
                "bench-worker-" + i);
        t.start();
        all.add(t);
      }
      for (Thread t : all) {
        t.join();
      }
      double wall = (System.nanoTime() - start) / 1e9;
      long cpu = cpuMs() - cpu0;
      if (!errors.isEmpty()) {
        errors.peek().printStackTrace();
      }
      PostgresStorage.Stats stats = storage.stats();
      Cpu c = new Cpu(cpu, trials, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "");
      print("threads", workers, trials, wall, steadyTrialsPerS(ends), asks, tells,
          stats.transactions(), errors.size(), c);
    }
  }

  /**
   * The client side's CPU: {@code ms} of process CPU over the measured window for {@code trials}
   * trials (threads: the one JVM; processes: every worker, from the start signal to its last
   * tell), and for processes the mean worker's start-up (launch to ready: JVM, classes, pool,
   * study load) and first trial, the wall time from the first launch to the last ready, and the
   * worker JVMs' options.
   */
  record Cpu(long ms, int trials, double startupMs, double firstTrialMs, double steadyPerTrialMs,
      double startupWallS, String jvmOptions) {}

  static void processes(PostgresUrl url, String rawUrl, String name, int workers, int trials, int pool,
      String heap, List<String> jvmOptions) throws Exception {
    try (PostgresStorage storage = open(url, 1)) {
      study(storage, name); // creates it once, before the children load it
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    long launch = System.nanoTime();
    for (int i = 0; i < workers; i++) {
      int n = trials / workers + (i < trials % workers ? 1 : 0);
      // The JVM's own warnings (e.g. a CDS archive it cannot use) to stderr: stdout is the
      // worker's protocol.
      List<String> cmd =
          new ArrayList<>(List.of(java, "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xmx" + heap));
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          ScaleDbBench.class.getName(), "worker", rawUrl, name,
          Integer.toString(n), Integer.toString(pool)));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      children.add(p);
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8)));
    }
    long readyCpu = 0;
    for (BufferedReader out : outs) {
      String line = out.readLine();
      if (line == null || !line.startsWith("ready")) {
        throw new IllegalStateException("a worker did not start: " + line);
      }
      readyCpu += Long.parseLong(line.substring("ready ".length()).trim());
    }
    long start = System.nanoTime();
    double startupWall = (start - launch) / 1e9;
    for (Process p : children) {
      OutputStream in = p.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    List<Long> asks = new ArrayList<>();
    List<Long> tells = new ArrayList<>();
    List<List<Long>> ends = new ArrayList<>();
    long transactions = 0;
    long firstCpu = 0;
    long steadyCpu = 0;
    long windowCpu = 0;
    int steadyTrials = 0;
    int failed = 0;
    for (int i = 0; i < workers; i++) {
      String line = outs.get(i).readLine();
      if (children.get(i).waitFor() != 0 || line == null) {
        failed++;
        continue;
      }
      // transactions asks tells cpuReady cpuFirst cpuEnd ends
      String[] parts = line.split(" ", -1);
      transactions += Long.parseLong(parts[0]);
      asks.addAll(longs(parts[1]));
      tells.addAll(longs(parts[2]));
      long ready = Long.parseLong(parts[3]);
      long first = Long.parseLong(parts[4]);
      long end = Long.parseLong(parts[5]);
      List<Long> e = longs(parts[6]);
      ends.add(e);
      firstCpu += first - ready;
      windowCpu += end - ready;
      if (e.size() > 1) {
        steadyCpu += end - first;
        steadyTrials += e.size() - 1;
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    int ok = Math.max(1, workers - failed);
    Cpu c = new Cpu(windowCpu, trials, (double) readyCpu / workers, (double) firstCpu / ok,
        steadyTrials == 0 ? Double.NaN : (double) steadyCpu / steadyTrials, startupWall,
        String.join(" ", jvmOptions));
    print("processes", workers, trials, wall, steadyTrialsPerS(ends), asks, tells, transactions,
        failed, c);
  }

  static List<Long> longs(String csv) {
    List<Long> out = new ArrayList<>();
    for (String v : csv.split(",")) {
      if (!v.isEmpty()) {
        out.add(Long.parseLong(v));
      }
    }
    return out;
  }

  static String csv(List<Long> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(v -> b.append(v).append(','));
    return b.toString();
  }

  /**
   * One worker process: loads the study, prints {@code ready CPU_MS}, waits for a line on stdin,
   * runs N trials, prints {@code TRANSACTIONS ASKS TELLS CPU_READY CPU_FIRST CPU_END ENDS}.
   */
  static void worker(PostgresUrl url, String name, int trials, int pool) throws Exception {
    try (PostgresStorage storage = open(url, pool)) {
      Study study = study(storage, name);
      long cpuReady = cpuMs();
      System.out.println("ready " + cpuReady);
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      List<Long> asks = new ArrayList<>();
      List<Long> tells = new ArrayList<>();
      List<Long> ends = new ArrayList<>();
      long cpuFirst = cpuReady;
      for (int i = 0; i < trials; i++) {
        trial(study, asks, tells, ends);
        if (i == 0) {
          cpuFirst = cpuMs();
        }
      }
      long cpuEnd = cpuMs();
      System.out.println(storage.stats().transactions() + " " + csv(asks) + " " + csv(tells) + " "
          + cpuReady + " " + cpuFirst + " " + cpuEnd + " " + csv(ends));
    }
  }

  /** COMPLETE trials, and whether they are exactly 0..expected-1. */
  static String verify(PostgresUrl url, String name, int expected) {
    try (PostgresStorage storage = open(url, 1)) {
      List<FrozenTrial> trials = storage.trials(name);
      Set<Integer> numbers = new HashSet<>();
      int complete = 0;
      for (FrozenTrial t : trials) {
        if (t.state() == TrialState.COMPLETE) {
          complete++;
          numbers.add(t.number());
        }
      }
      boolean dense = numbers.size() == expected;
      for (int n = 0; n < expected && dense; n++) {
        dense = numbers.contains(n);
      }
      boolean ok = complete == expected && trials.size() == expected && dense;
      return String.format(Locale.ROOT,
          "{\"trials\": %d, \"complete\": %d, \"numbers_0_to_n_minus_1\": %b, \"ok\": %b}",
          trials.size(), complete, dense, ok);
    }
  }

  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static void print(String mode, int workers, int trials, double wall, double steady,
      List<Long> asks, List<Long> tells, long transactions, int failed, Cpu cpu) {
    long[] a = asks.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] t = tells.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT,
        "{\"tool\": \"knobflow\", \"mode\": \"%s\", \"workers\": %d, \"trials\": %d,"
            + " \"wall_s\": %.3f, \"trials_per_s\": %.3f, \"steady_trials_per_s\": %s,"
            + " \"ask_p50_ms\": %.2f,"
            + " \"ask_p99_ms\": %.2f, \"tell_p50_ms\": %.2f, \"tell_p99_ms\": %.2f,"
            + " \"client_transactions\": %d, \"failed_workers\": %d,"
            + " \"client_cpu_ms_per_trial\": %s, \"worker_startup_cpu_ms\": %s,"
            + " \"worker_first_trial_cpu_ms\": %s, \"worker_steady_cpu_ms_per_trial\": %s,"
            + " \"startup_wall_s\": %s, \"worker_jvm_options\": \"%s\"}%n",
        mode, workers, trials, wall, trials / wall, num(steady), percentile(a, 0.5),
        percentile(a, 0.99), percentile(t, 0.5), percentile(t, 0.99), transactions, failed,
        cpu.ms() < 0 ? "null" : num((double) cpu.ms() / cpu.trials()), num(cpu.startupMs()),
        num(cpu.firstTrialMs()), num(cpu.steadyPerTrialMs()), num(cpu.startupWallS()),
        cpu.jvmOptions().replace("\\", "\\\\").replace("\"", "\\\""));
  }

  static String num(double v) {
    return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
  }
}
