package dev.knobflow.optimizers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.pareto.Hypervolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores every run written by ModelBasedBench and optuna_bench.py with the same code (Knobflow's
 * exact hypervolume for multi-objective problems, final regret for single-objective ones) and
 * prints the side-by-side tables. Usage: {@code ModelBasedReport RESULTS.jsonl...}.
 */
public final class ModelBasedReport {

  private static final String SHARED_SUFFIX = " (shared start-up)";

  private ModelBasedReport() {}

  record Run(String label, double score, double ms, double cpuMs) {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, BenchProblems.Problem> problems = new TreeMap<>();
    for (BenchProblems.Problem p : BenchProblems.all()) {
      problems.put(p.name(), p);
    }
    Map<String, Map<String, List<Run>>> byProblem = new TreeMap<>();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row = json.readTree(line);
        BenchProblems.Problem problem = problems.get(row.get("problem").asText());
        String label =
            row.get("side").asText()
                + " "
                + row.get("sampler").asText()
                + (row.path("startup").asText().equals("shared") ? SHARED_SUFFIX : "");
        double[][] values = new double[row.get("values").size()][];
        for (int i = 0; i < values.length; i++) {
          JsonNode v = row.get("values").get(i);
          values[i] = new double[v.size()];
          for (int j = 0; j < v.size(); j++) {
            values[i][j] = v.get(j).asDouble();
          }
        }
        double cpu =
            row.has("cpu_ms_per_trial") ? row.get("cpu_ms_per_trial").asDouble() : Double.NaN;
        byProblem
            .computeIfAbsent(problem.name(), k -> new TreeMap<>())
            .computeIfAbsent(label, k -> new ArrayList<>())
            .add(new Run(label, score(problem, values), row.get("ms_per_trial").asDouble(), cpu));
      }
    }
    for (Map.Entry<String, Map<String, List<Run>>> e : byProblem.entrySet()) {
      BenchProblems.Problem problem = problems.get(e.getKey());
      boolean mo = problem.objectives() > 1;
      System.out.printf(
          Locale.ROOT,
          "%n%s (%s, optimum %s)%n",
          problem.name(),
          mo ? "hypervolume, higher is better" : "final regret, lower is better",
          mo ? String.valueOf(problem.optimum()) : "regret 0");
      System.out.printf(
          Locale.ROOT,
          "  %-36s %4s %11s %11s %11s %9s %10s %10s%n",
          "sampler",
          "runs",
          "median",
          "min",
          "max",
          mo ? "med/opt" : "",
          "ms/trial",
          "cpu ms");
      Map<String, Double> medians = new TreeMap<>();
      for (Map.Entry<String, List<Run>> s : e.getValue().entrySet()) {
        double[] scores = s.getValue().stream().mapToDouble(Run::score).toArray();
        double[] ms = s.getValue().stream().mapToDouble(Run::ms).toArray();
        double[] cpu = s.getValue().stream().mapToDouble(Run::cpuMs).toArray();
        double median = median(scores);
        medians.put(s.getKey(), median);
        System.out.printf(
            Locale.ROOT,
            "  %-36s %4d %11.4g %11.4g %11.4g %9s %10.1f %10s%n",
            s.getKey(),
            scores.length,
            median,
            Arrays.stream(scores).min().orElse(Double.NaN),
            Arrays.stream(scores).max().orElse(Double.NaN),
            mo ? String.format(Locale.ROOT, "%.3f", median / problem.optimum()) : "",
            median(ms),
            Double.isNaN(median(cpu)) ? "-" : String.format(Locale.ROOT, "%.1f", median(cpu)));
      }
      // Runs from a shared start-up design are compared only with each other.
      for (String startup : List.of("", SHARED_SUFFIX)) {
        compareAutoWithBestOptuna(medians, startup, mo);
      }
    }
  }

  private static void compareAutoWithBestOptuna(
      Map<String, Double> medians, String startup, boolean mo) {
    Double auto = medians.get("knobflow auto" + startup);
    double bestOptuna = mo ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    String bestOptunaLabel = null;
    for (Map.Entry<String, Double> m : medians.entrySet()) {
      String label = m.getKey();
      boolean sameStartup =
          startup.isEmpty() ? !label.endsWith(SHARED_SUFFIX) : label.endsWith(startup);
      double median = m.getValue();
      if (label.startsWith("optuna")
          && sameStartup
          && (mo ? median > bestOptuna : median < bestOptuna)) {
        bestOptuna = median;
        bestOptunaLabel = label;
      }
    }
    if (auto == null || bestOptunaLabel == null) {
      return;
    }
    boolean wins = mo ? auto > bestOptuna : auto <= bestOptuna;
    System.out.printf(
        Locale.ROOT,
        "  knobflow auto%s vs best Optuna (%s): %.4g vs %.4g, ratio %.3f -> %s%n",
        startup,
        bestOptunaLabel,
        auto,
        bestOptuna,
        mo ? auto / bestOptuna : (bestOptuna == 0 ? Double.NaN : auto / bestOptuna),
        wins ? "knobflow better or equal" : "Optuna better");
  }

  static double score(BenchProblems.Problem problem, double[][] values) {
    if (problem.objectives() > 1) {
      double[] reference = new double[problem.objectives()];
      Arrays.fill(reference, 1.1);
      return Hypervolume.compute(values, reference);
    }
    double best = Double.POSITIVE_INFINITY;
    for (double[] v : values) {
      best = Math.min(best, v[0]);
    }
    return best - problem.optimum();
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
