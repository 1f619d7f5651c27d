import dev.knobflow.advisor.diagnostics.CompletedCurves;
import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.CurveDiagnostics;
import dev.knobflow.advisor.diagnostics.Diagnosis;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.diagnostics.DiagnosticsConfig;
import dev.knobflow.advisor.space.Direction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The advisor's per-report cost as the study grows: CPU time (this thread's) of the diagnostics at
 * each intermediate report of a running trial, with 100, 1,000 and 10,000 completed trials of 50 to
 * 100 steps each, for
 *
 * <ul>
 *   <li>the curve's own rules alone (divergence, plateau, oscillation: {@code diagnose(values)}),
 *   <li>every rule with median stopping over the list of completed curves (the straightforward
 *       computation, what the plugin did before: {@code diagnose(curve, direction, List)}),
 *   <li>every rule with median stopping over a {@link CompletedCurves} index ({@code
 *       diagnose(curve, direction, CompletedCurves)}), plus the cost of adding a completed trial
 *       and of the first report at a step (it builds that step's running median from every stored
 *       curve, once per step for the study's life; timed apart).
 * </ul>
 *
 * Both median paths must give the same diagnosis at every report; the run fails otherwise.
 *
 * <p>With {@code --peer FILE} (written by optuna_median.py on the same sizes) it also prints the
 * peer's figure: Optuna 5.0.0's MedianPruner, {@code trial.should_prune()} at each report.
 *
 * <p>Usage: java -cp llm-advisor/target/classes Scale.java [--peer FILE] [PROBES] [SIZES...]
 * (default 20 running trials, 100 1000 10000 completed trials).
 */
public class Scale {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws java.io.IOException {
    Map<Integer, Double> peer = new java.util.HashMap<>();
    List<String> rest = new ArrayList<>(List.of(args));
    int at = rest.indexOf("--peer");
    if (at >= 0) {
      // Lines "N reports us_per_report pruned" from optuna_median.py, run on the same sizes.
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(rest.get(at + 1)))) {
        String[] f = line.trim().split(" ");
        if (f.length == 4) {
          peer.put(Integer.parseInt(f[0]), Double.parseDouble(f[2]));
        }
      }
      rest.subList(at, at + 2).clear();
    }
    int probes = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 20;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < rest.size(); i++) {
      sizes.add(Integer.parseInt(rest.get(i)));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(100, 1_000, 10_000);
    }
    // The defaults, with a margin that lets median stopping judge often (more work per report).
    CurveDiagnostics diagnostics =
        CurveDiagnostics.of(DiagnosticsConfig.builder().medianMarginRtol(0.1).build());
    run(diagnostics, 100, probes, false, peer); // JIT warm-up, not printed
    System.out.printf(
        "| completed trials | reports | own rules only (us/report) | with median stopping,"
            + " straightforward (us/report) | with median stopping, incremental (us/report) |"
            + " straightforward / incremental | adding a completed trial (us) | first report at a step"
            + " (us, once per step) | Optuna MedianPruner, should_prune (us/report) |"
            + " Optuna / incremental | diagnoses |%n");
    System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|%n");
    for (int n : sizes) {
      run(diagnostics, n, probes, true, peer);
    }
  }

  private static void run(
      CurveDiagnostics diagnostics, int n, int probes, boolean print, Map<Integer, Double> peer) {
    Random rnd = new Random(42);
    Direction direction = Direction.MINIMIZE;
    List<Curve> completed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      completed.add(curve(rnd));
    }
    List<Curve> running = new ArrayList<>(probes);
    for (int i = 0; i < probes; i++) {
      running.add(curve(rnd));
    }
    long t0 = cpu();
    CompletedCurves index = CompletedCurves.of(direction);
    for (int i = 0; i < n; i++) {
      index.add(i, completed.get(i));
    }
    long addNanos = cpu() - t0;
    List<Curve> reports = new ArrayList<>();
    for (Curve c : running) {
      for (int k = 1; k <= c.size(); k++) {
        reports.add(new Curve(c.points().subList(0, k)));
      }
    }
    // Each step's running median is built the first time a report asks about that step (once per
    // step for the study's life); timed apart from the reports.
    long tb = cpu();
    for (int k = 1; k <= 100; k++) {
      Curve first = Curve.ofValues(new double[k]);
      diagnostics.diagnose(first, direction, index);
    }
    long buildNanos = cpu() - tb;
    Diagnosis[] incremental = new Diagnosis[reports.size()];
    long t1 = cpu();
    for (int r = 0; r < reports.size(); r++) {
      incremental[r] = diagnostics.diagnose(reports.get(r), direction, index);
    }
    long incNanos = cpu() - t1;
    long t2 = cpu();
    for (Curve c : reports) {
      diagnostics.diagnose(c.values(), direction);
    }
    long ownNanos = cpu() - t2;
    Diagnosis[] straightforward = new Diagnosis[reports.size()];
    long t3 = cpu();
    for (int r = 0; r < reports.size(); r++) {
      straightforward[r] = diagnostics.diagnose(reports.get(r), direction, completed);
    }
    long sfNanos = cpu() - t3;
    Map<DiagnosisKind, Integer> kinds = new EnumMap<>(DiagnosisKind.class);
    for (int r = 0; r < reports.size(); r++) {
      if (!straightforward[r].equals(incremental[r])) {
        throw new IllegalStateException(
            "report " + r + ": " + straightforward[r] + " != " + incremental[r]);
      }
      kinds.merge(incremental[r].kind(), 1, Integer::sum);
    }
    if (!print) {
      return;
    }
    double per = 1e3 * reports.size();
    System.out.printf(
        Locale.ROOT,
        "| %,d | %,d | %.1f | %.1f | %.1f | %.0fx | %.1f | %.0f | %s | %s | identical; %s |%n",
        n,
        reports.size(),
        ownNanos / per,
        sfNanos / per,
        incNanos / per,
        (double) sfNanos / incNanos,
        addNanos / (1e3 * n),
        buildNanos / 1e3 / 100,
        peer.containsKey(n) ? String.format(Locale.ROOT, "%.1f", peer.get(n)) : "-",
        peer.containsKey(n)
            ? String.format(Locale.ROOT, "%.0fx", peer.get(n) / (incNanos / per))
            : "-",
        kinds);
  }

  /** A loss curve of 50 to 100 steps: a learner, a slow learner or a swinger, some noise. */
  private static Curve curve(Random rnd) {
    int len = 50 + rnd.nextInt(51);
    double[] v = new double[len];
    double start = 0.5 + rnd.nextDouble();
    double rate = 0.005 + 0.1 * rnd.nextDouble();
    int shape = rnd.nextInt(3);
    for (int i = 0; i < len; i++) {
      double base = start * Math.exp(-rate * i) + 0.05;
      v[i] =
          switch (shape) {
            case 0 -> base;
            case 1 -> start * (1 - 0.003 * i);
            default -> base * (1 + 0.2 * Math.sin(i * 1.3));
          }
              * (1 + 0.02 * rnd.nextGaussian());
    }
    return Curve.ofValues(v);
  }

  private static long cpu() {
    return CPU.getCurrentThreadCpuTime();
  }
}
