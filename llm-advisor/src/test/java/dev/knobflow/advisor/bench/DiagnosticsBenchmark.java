package dev.knobflow.advisor.bench;

import dev.knobflow.advisor.diagnostics.CurveDiagnostics;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.diagnostics.SyntheticCurves;
import dev.knobflow.advisor.diagnostics.TrainingSimulator;
import dev.knobflow.advisor.space.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Detector quality (precision and recall per class on labelled curves) and speed (time per
 * diagnosis of a 1,000-point curve). Run from the repository root with {@code
 * bench/advisor/run.sh}. Seeds are fixed, so the quality figures are reproducible.
 */
public final class DiagnosticsBenchmark {

  private record Labelled(
      String source, double[] values, Direction direction, DiagnosisKind label) {}

  private DiagnosticsBenchmark() {}

  /**
   * @param args ignored
   */
  public static void main(String[] args) {
    CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();
    List<Labelled> set = dataset();
    Map<DiagnosisKind, Map<DiagnosisKind, Integer>> confusion = new EnumMap<>(DiagnosisKind.class);
    Map<String, int[]> bySource = new java.util.LinkedHashMap<>();
    for (DiagnosisKind k : DiagnosisKind.values()) {
      confusion.put(k, new EnumMap<>(DiagnosisKind.class));
    }
    for (Labelled l : set) {
      DiagnosisKind got = diagnostics.diagnose(l.values(), l.direction()).kind();
      confusion.get(l.label()).merge(got, 1, Integer::sum);
      int[] counts = bySource.computeIfAbsent(l.source(), s -> new int[2]);
      counts[0] += got == l.label() ? 1 : 0;
      counts[1]++;
    }
    System.out.println("# Knobflow advisor diagnostics benchmark");
    System.out.println();
    System.out.println("Labelled curves: " + set.size());
    System.out.println();
    System.out.println("| class | support | precision | recall |");
    System.out.println("|---|---|---|---|");
    int correct = 0;
    for (DiagnosisKind k : DiagnosisKind.values()) {
      int tp = confusion.get(k).getOrDefault(k, 0);
      int support = confusion.get(k).values().stream().mapToInt(Integer::intValue).sum();
      int predicted = 0;
      for (DiagnosisKind truth : DiagnosisKind.values()) {
        predicted += confusion.get(truth).getOrDefault(k, 0);
      }
      correct += tp;
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.3f | %.3f |%n",
          k,
          support,
          predicted == 0 ? Double.NaN : (double) tp / predicted,
          support == 0 ? Double.NaN : (double) tp / support);
    }
    System.out.printf(Locale.ROOT, "%nAccuracy: %.3f%n%n", (double) correct / set.size());
    System.out.println("Confusion (rows: label, columns: predicted):");
    System.out.println();
    System.out.println("| label \\ predicted | DIVERGING | OSCILLATING | PLATEAU | HEALTHY |");
    System.out.println("|---|---|---|---|---|");
    for (DiagnosisKind truth : DiagnosisKind.values()) {
      StringBuilder row = new StringBuilder("| " + truth + " |");
      for (DiagnosisKind p : DiagnosisKind.values()) {
        row.append(' ').append(confusion.get(truth).getOrDefault(p, 0)).append(" |");
      }
      System.out.println(row);
    }
    System.out.println();
    System.out.println("Per source (correct / total):");
    System.out.println();
    bySource.forEach((s, c) -> System.out.println("- " + s + ": " + c[0] + " / " + c[1]));
    System.out.println();
    timing(diagnostics);
  }

  private static List<Labelled> dataset() {
    List<Labelled> set = new ArrayList<>();
    Random rnd = new Random(2024);
    for (int i = 0; i < 100; i++) {
      int n = 40 + rnd.nextInt(160);
      set.add(
          lab(
              "synthetic healthy loss, 0.5% noise",
              SyntheticCurves.healthyLoss(n, 0.005, rnd), DiagnosisKind.HEALTHY));
      set.add(
          lab(
              "synthetic healthy loss, 2% noise",
              SyntheticCurves.healthyLoss(n, 0.02, rnd), DiagnosisKind.HEALTHY));
      set.add(
          lab(
              "synthetic diverging loss",
              SyntheticCurves.divergingLoss(n, rnd),
              DiagnosisKind.DIVERGING));
      set.add(lab("synthetic NaN loss", SyntheticCurves.nanLoss(n, rnd), DiagnosisKind.DIVERGING));
      set.add(
          lab(
              "synthetic plateau loss",
              SyntheticCurves.plateauLoss(n, rnd),
              DiagnosisKind.PLATEAU));
      set.add(
          lab(
              "synthetic oscillating loss",
              SyntheticCurves.oscillatingLoss(n, rnd),
              DiagnosisKind.OSCILLATING));
      set.add(
          new Labelled(
              "synthetic healthy accuracy (maximise)",
              SyntheticCurves.healthyAccuracy(n, rnd),
              Direction.MAXIMIZE,
              DiagnosisKind.HEALTHY));
    }
    for (long seed = 1; seed <= 20; seed++) {
      TrainingSimulator adam = TrainingSimulator.standard(seed);
      set.add(lab("simulated MLP, Adam lr=1e-3", adam.train(1e-3, 40), DiagnosisKind.HEALTHY));
      set.add(lab("simulated MLP, Adam lr=1.0", adam.train(1.0, 40), DiagnosisKind.OSCILLATING));
      TrainingSimulator sgd = new TrainingSimulator(256, 4, 32, seed);
      set.add(
          lab(
              "simulated MLP regression, SGD lr=10",
              sgd.trainRegressionSgd(10, 40),
              DiagnosisKind.DIVERGING));
      double[] blowUp = sgd.trainRegressionSgd(3, 40);
      int finite = 0;
      while (finite < blowUp.length && Double.isFinite(blowUp[finite])) {
        finite++;
      }
      set.add(
          lab(
              "simulated MLP regression, SGD lr=3, cut before NaN",
              Arrays.copyOf(blowUp, finite),
              DiagnosisKind.DIVERGING));
    }
    return set;
  }

  private static Labelled lab(String source, double[] values, DiagnosisKind label) {
    return new Labelled(source, values, Direction.MINIMIZE, label);
  }

  private static void timing(CurveDiagnostics diagnostics) {
    Random rnd = new Random(99);
    Map<String, double[]> curves = new java.util.LinkedHashMap<>();
    curves.put("healthy", SyntheticCurves.healthyLoss(1000, 0.005, rnd));
    curves.put("diverging", SyntheticCurves.divergingLoss(1000, rnd));
    curves.put("plateau", SyntheticCurves.plateauLoss(1000, rnd));
    curves.put("oscillating", SyntheticCurves.oscillatingLoss(1000, rnd));
    curves.put("nan", SyntheticCurves.nanLoss(1000, rnd));
    long sink = 0;
    for (int i = 0; i < 50_000; i++) {
      for (double[] c : curves.values()) {
        sink += diagnostics.diagnose(c, Direction.MINIMIZE).pointCount();
      }
    }
    System.out.println("Time per diagnosis, 1,000-point curve (after 250,000 warm-up calls):");
    System.out.println();
    System.out.println("| curve | mean µs | max of 20 batch means µs |");
    System.out.println("|---|---|---|");
    int perBatch = 5_000;
    for (Map.Entry<String, double[]> e : curves.entrySet()) {
      double worst = 0;
      double total = 0;
      for (int b = 0; b < 20; b++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < perBatch; i++) {
          sink += diagnostics.diagnose(e.getValue(), Direction.MINIMIZE).pointCount();
        }
        double us = (System.nanoTime() - t0) / 1e3 / perBatch;
        worst = Math.max(worst, us);
        total += us;
      }
      System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", e.getKey(), total / 20, worst);
    }
    System.out.println();
    System.out.println("(checksum " + sink + ")");
  }
}
