import dev.knobflow.advisor.diagnostics.CompletedCurves;
import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.CurveDiagnostics;
import dev.knobflow.advisor.diagnostics.Diagnosis;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.diagnostics.DiagnosticsConfig;
import dev.knobflow.advisor.space.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays recorded curves (bench/advisor/curves/*.csv, written by RecordCurves.java) through the
 * advisor's diagnostics exactly as the plugin's AdvisorSupport sees them: the curve is diagnosed
 * after every reported step, each trial is consulted once per kind of problem, and in apply mode
 * the rules stop a trial at its first DIVERGING or UNDERPERFORMING diagnosis (every other kind only
 * changes ranges). Trials run one after another in trial-number order, so a trial is compared (median
 * stopping) with the earlier trials that completed and were not stopped.
 *
 * <p>Per study (one example, one seed) the trials are ranked by final value (failed trials last):
 * "top 10%" are the best ceil(n/10), "bad" the worse half. Prints, per example and pooled over its
 * seeds: top-10% trials stopped (target 0), bad trials stopped, the share of the bad trials' steps
 * saved, other trials stopped, and consultations by kind.
 *
 * <p>Usage: java -cp llm-advisor/target/classes Replay.java CURVES_DIR [--old] [key=value ...]
 * --old replays the thresholds before issue 18's tuning; key=value overrides a threshold
 * (minPoints, divergenceGrace, divergencePatience, spikeRtol, spikePatience, lostProgressWindow, lostProgressShare, minProgressRtol,
 * worseThanStartRtol, plateauStd, plateauWindow, medianWarmup, medianMinTrials, medianMarginRtol,
 * medianPatience) for every example. Add -v to list every stop. Median stopping reads the completed
 * trials from a CompletedCurves index, as the plugin does; --straightforward passes the list of
 * their curves instead (the computation before the index; the figures must be the same).
 */
public class Replay {

  /** The min_points each shipped study file sets (the rest are the defaults). */
  private static final Map<String, Integer> MIN_POINTS =
      Map.of("command", 5, "djl", 3, "xgboost", 5);

  record Row(
      String example, int seed, int trial, String state, Direction direction, double fin,
      String params, double[] values) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean old = false;
    boolean verbose = false;
    boolean straightforward = false;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String a : Arrays.copyOfRange(args, 1, args.length)) {
      if (a.equals("--old")) {
        old = true;
      } else if (a.equals("-v")) {
        verbose = true;
      } else if (a.equals("--straightforward")) {
        straightforward = true;
      } else {
        String[] kv = a.split("=", 2);
        overrides.put(kv[0], kv[1]);
      }
    }
    System.out.printf(
        "| example | trials (studies) | top-10%% stopped | bad stopped | bad steps saved |"
            + " others stopped | consultations (D/U/O/P) |%n");
    System.out.printf("|---|---|---|---|---|---|---|%n");
    for (String example : List.of("command", "djl", "xgboost")) {
      Path file = dir.resolve(example + ".csv");
      if (!Files.exists(file)) {
        continue;
      }
      DiagnosticsConfig.Builder b =
          old ? before() : DiagnosticsConfig.builder();
      b.minPoints(MIN_POINTS.get(example));
      apply(b, overrides);
      CurveDiagnostics diagnostics = CurveDiagnostics.of(b.build());
      Map<Integer, List<Row>> bySeed = new TreeMap<>();
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        Row r = parse(line);
        bySeed.computeIfAbsent(r.seed(), k -> new ArrayList<>()).add(r);
      }
      int trials = 0;
      int top = 0;
      int topStopped = 0;
      int bad = 0;
      int badStopped = 0;
      long badSteps = 0;
      long badSaved = 0;
      int othersStopped = 0;
      Map<DiagnosisKind, Integer> consultations = new EnumMap<>(DiagnosisKind.class);
      List<String> stops = new ArrayList<>();
      for (List<Row> study : bySeed.values()) {
        List<Row> ranked = new ArrayList<>(study);
        ranked.sort(Comparator.comparingDouble(Replay::score));
        int n = ranked.size();
        int topN = (int) Math.ceil(n / 10.0);
        // Replayed in trial order: each trial sees the earlier completed, unstopped trials.
        Map<Integer, Integer> stopAtByTrial = new LinkedHashMap<>();
        List<Curve> completed = new ArrayList<>();
        CompletedCurves index = CompletedCurves.of(study.get(0).direction());
        for (Row r : study.stream().sorted(Comparator.comparingInt(Row::trial)).toList()) {
          int stopAt =
              replay(diagnostics, r, straightforward ? List.copyOf(completed) : null, index,
                  consultations);
          stopAtByTrial.put(r.trial(), stopAt);
          if (stopAt < 0 && r.state().equals("COMPLETE")) {
            completed.add(curve(r));
            index.add(r.trial(), curve(r));
          }
        }
        for (int i = 0; i < n; i++) {
          Row r = ranked.get(i);
          int stopAt = stopAtByTrial.get(r.trial());
          boolean isTop = i < topN;
          boolean isBad = i >= n - n / 2;
          trials++;
          top += isTop ? 1 : 0;
          bad += isBad ? 1 : 0;
          if (isBad) {
            badSteps += r.values().length;
          }
          if (stopAt >= 0) {
            if (isTop) {
              topStopped++;
            } else if (isBad) {
              badStopped++;
              badSaved += r.values().length - 1 - stopAt;
            } else {
              othersStopped++;
            }
            stops.add(
                String.format(
                    Locale.ROOT,
                    "  %s seed %d trial %d rank %d/%d final %s stopped at point %d of %d: %s%n"
                        + "    %s",
                    example, r.seed(), r.trial(), i + 1, n, r.state().equals("COMPLETE")
                        ? String.format(Locale.ROOT, "%.4g", r.fin()) : r.state(),
                    stopAt + 1, r.values().length, r.params(),
                    Arrays.toString(round(r.values()))));
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %d (%d) | %d of %d | %d of %d | %.0f%% | %d | %d/%d/%d/%d |%n",
          example, trials, bySeed.size(), topStopped, top, badStopped, bad,
          badSteps == 0 ? 0.0 : 100.0 * badSaved / badSteps, othersStopped,
          consultations.getOrDefault(DiagnosisKind.DIVERGING, 0),
          consultations.getOrDefault(DiagnosisKind.UNDERPERFORMING, 0),
          consultations.getOrDefault(DiagnosisKind.OSCILLATING, 0),
          consultations.getOrDefault(DiagnosisKind.PLATEAU, 0));
      if (verbose) {
        stops.forEach(System.out::println);
      }
    }
  }

  /** The index of the point at which the trial is stopped, or -1; counts consultations. */
  private static int replay(
      CurveDiagnostics d, Row r, List<Curve> completed, CompletedCurves index,
      Map<DiagnosisKind, Integer> consulted) {
    EnumMap<DiagnosisKind, Boolean> seen = new EnumMap<>(DiagnosisKind.class);
    Curve whole = curve(r);
    for (int k = 1; k <= r.values().length; k++) {
      Curve sofar = new Curve(whole.points().subList(0, k));
      Diagnosis diagnosis =
          completed != null
              ? d.diagnose(sofar, r.direction(), completed)
              : d.diagnose(sofar, r.direction(), index);
      DiagnosisKind kind = diagnosis.kind();
      if (kind == DiagnosisKind.HEALTHY || seen.containsKey(kind)) {
        continue;
      }
      seen.put(kind, true);
      consulted.merge(kind, 1, Integer::sum);
      if (kind == DiagnosisKind.DIVERGING || kind == DiagnosisKind.UNDERPERFORMING) {
        return k - 1;
      }
    }
    return -1;
  }

  /** The recorded curve with steps 1, 2, ... (epochs or rounds). */
  private static Curve curve(Row r) {
    long[] steps = new long[r.values().length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i + 1;
    }
    return Curve.of(steps, r.values());
  }

  /** Lower is better: the final value in minimisation terms; failed trials last. */
  private static double score(Row r) {
    if (!r.state().equals("COMPLETE") || !Double.isFinite(r.fin())) {
      return Double.POSITIVE_INFINITY;
    }
    return r.direction() == Direction.MINIMIZE ? r.fin() : -r.fin();
  }

  private static Row parse(String line) {
    String[] c = line.split(",", -1);
    double[] values =
        c[7].isEmpty()
            ? new double[0]
            : Arrays.stream(c[7].split(";")).mapToDouble(Double::parseDouble).toArray();
    return new Row(
        c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), c[3],
        Direction.valueOf(c[4].toUpperCase(Locale.ROOT)),
        c[5].isEmpty() ? Double.NaN : Double.parseDouble(c[5]), c[6], values);
  }

  private static double[] round(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.round(v[i] * 1e4) / 1e4;
    }
    return out;
  }

  /** The thresholds before issue 18's tuning. */
  private static DiagnosticsConfig.Builder before() {
    return DiagnosticsConfig.builder()
        .spikeWindow(10).spikeRtol(2.0).spikePatience(4)
        .lostProgressWindow(3).lostProgressShare(0.8).minProgressRtol(0.05)
        .worseThanStartRtol(0.5)
        .divergenceGrace(0).divergencePatience(1).recoveryGuard(false)
        .plateauWindow(4).plateauStd(0.01).plateauGrace(4).plateauMinImprovementRtol(0.01)
        .medianMinTrials(0);
  }

  private static void apply(DiagnosticsConfig.Builder b, Map<String, String> o) {
    o.forEach(
        (k, v) -> {
          switch (k) {
            case "minPoints" -> b.minPoints(Integer.parseInt(v));
            case "spikeRtol" -> b.spikeRtol(Double.parseDouble(v));
            case "spikePatience" -> b.spikePatience(Integer.parseInt(v));
            case "lostProgressWindow" -> b.lostProgressWindow(Integer.parseInt(v));
            case "lostProgressShare" -> b.lostProgressShare(Double.parseDouble(v));
            case "minProgressRtol" -> b.minProgressRtol(Double.parseDouble(v));
            case "worseThanStartRtol" -> b.worseThanStartRtol(Double.parseDouble(v));
            case "plateauStd" -> b.plateauStd(Double.parseDouble(v));
            case "plateauWindow" -> b.plateauWindow(Integer.parseInt(v));
            case "divergenceGrace" -> b.divergenceGrace(Integer.parseInt(v));
            case "divergencePatience" -> b.divergencePatience(Integer.parseInt(v));
            case "medianWarmup" -> b.medianWarmup(Integer.parseInt(v));
            case "medianMinTrials" -> b.medianMinTrials(Integer.parseInt(v));
            case "medianMarginRtol" -> b.medianMarginRtol(Double.parseDouble(v));
            case "medianPatience" -> b.medianPatience(Integer.parseInt(v));
            default -> throw new IllegalArgumentException("unknown threshold " + k);
          }
        });
  }
}
