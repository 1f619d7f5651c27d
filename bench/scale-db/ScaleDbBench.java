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
 *   <li>{@code processes URL STUDY W TRIALS POOL HEAP}: W child JVMs ({@code -XmxHEAP}), each a
 *       {@code worker} with its own storage (POOL connections); the clock starts when every child
 *       has connected and says ready, so JVM start-up is not measured.
 *   <li>{@code worker URL STUDY N POOL}: one child: prints {@code ready}, waits for a line on
 *       stdin, runs N trials, prints one line: its ask and tell latencies.
 *
 *   <li>{@code verify URL STUDY TRIALS}: one JSON line: whether the study holds exactly TRIALS
 *       COMPLETE trials numbered 0..TRIALS-1 (run after the database's counters are read).
 * </ul>
 *
 * <p>The parent modes print one JSON line: wall time from the start signal to the last tell,
 * trials/s, p50/p99 of ask and tell in ms, and the client-side transaction count.
 */
public final class ScaleDbBench {

  private static final long OBJECTIVE_MS = 1000;

  private ScaleDbBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    PostgresUrl url = PostgresUrl.parse(args[1]);
    String name = args[2];
    switch (mode) {
      case "threads" -> threads(url, name, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      case "processes" -> processes(url, args[1], name, Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6]);
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

  /** One trial: ask, sleep 1 s, tell; adds the two latencies in nanoseconds. */
  static void trial(Study study, List<Long> asks, List<Long> tells) throws InterruptedException {
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
  }

  static void threads(PostgresUrl url, String name, int workers, int trials, int pool)
      throws Exception {
    try (PostgresStorage storage = open(url, pool)) {
      Study study = study(storage, name);
      AtomicInteger left = new AtomicInteger(trials);
      List<Long> asks = new ArrayList<>();
      List<Long> tells = new ArrayList<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      List<Thread> all = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < workers; i++) {
        Thread t =
            new Thread(
                () -> {
                  List<Long> a = new ArrayList<>();
                  List<Long> b = new ArrayList<>();
                  try {
                    while (left.getAndDecrement() > 0) {
                      trial(study, a, b);
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                  synchronized (asks) {
                    asks.addAll(a);
                    tells.addAll(b);
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
      if (!errors.isEmpty()) {
        errors.peek().printStackTrace();
      }
      PostgresStorage.Stats stats = storage.stats();
      print("threads", workers, trials, wall, asks, tells, stats.transactions(), errors.size());
    }
  }

  static void processes(PostgresUrl url, String rawUrl, String name, int workers, int trials, int pool,
      String heap) throws Exception {
    try (PostgresStorage storage = open(url, 1)) {
      study(storage, name); // creates it once, before the children load it
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      int n = trials / workers + (i < trials % workers ? 1 : 0);
      ProcessBuilder pb =
          new ProcessBuilder(java, "-Xmx" + heap, "-Xss512k", "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
              ScaleDbBench.class.getName(), "worker", rawUrl, name,
              Integer.toString(n), Integer.toString(pool));
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      children.add(p);
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8)));
    }
    for (BufferedReader out : outs) {
      String line = out.readLine();
      if (!"ready".equals(line)) {
        throw new IllegalStateException("a worker did not start: " + line);
      }
    }
    long start = System.nanoTime();
    for (Process p : children) {
      OutputStream in = p.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    List<Long> asks = new ArrayList<>();
    List<Long> tells = new ArrayList<>();
    long transactions = 0;
    int failed = 0;
    for (int i = 0; i < workers; i++) {
      String line = outs.get(i).readLine();
      if (children.get(i).waitFor() != 0 || line == null) {
        failed++;
        continue;
      }
      String[] parts = line.split(" ");
      transactions += Long.parseLong(parts[0]);
      for (String v : parts[1].split(",")) {
        if (!v.isEmpty()) {
          asks.add(Long.parseLong(v));
        }
      }
      for (String v : parts[2].split(",")) {
        if (!v.isEmpty()) {
          tells.add(Long.parseLong(v));
        }
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    print("processes", workers, trials, wall, asks, tells, transactions, failed);
  }

  static void worker(PostgresUrl url, String name, int trials, int pool) throws Exception {
    try (PostgresStorage storage = open(url, pool)) {
      Study study = study(storage, name);
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      List<Long> asks = new ArrayList<>();
      List<Long> tells = new ArrayList<>();
      for (int i = 0; i < trials; i++) {
        trial(study, asks, tells);
      }
      StringBuilder line = new StringBuilder().append(storage.stats().transactions()).append(' ');
      asks.forEach(v -> line.append(v).append(','));
      line.append(' ');
      tells.forEach(v -> line.append(v).append(','));
      System.out.println(line);
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

  static void print(String mode, int workers, int trials, double wall, List<Long> asks,
      List<Long> tells, long transactions, int failed) {
    long[] a = asks.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] t = tells.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT,
        "{\"tool\": \"knobflow\", \"mode\": \"%s\", \"workers\": %d, \"trials\": %d,"
            + " \"wall_s\": %.3f, \"trials_per_s\": %.3f, \"ask_p50_ms\": %.2f,"
            + " \"ask_p99_ms\": %.2f, \"tell_p50_ms\": %.2f, \"tell_p99_ms\": %.2f,"
            + " \"client_transactions\": %d, \"failed_workers\": %d}%n",
        mode, workers, trials, wall, trials / wall, percentile(a, 0.5), percentile(a, 0.99),
        percentile(t, 0.5), percentile(t, 0.99), transactions, failed);
  }
}
