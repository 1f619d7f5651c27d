package dev.knobflow.plugin.importance;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter importance by PED-ANOVA (Watanabe et al. 2023, "PED-ANOVA: Efficiently Quantifying
 * Hyperparameter Importance in Arbitrary Subspaces"), Optuna's default evaluator.
 *
 * <p>For each parameter, the marginal density of its unit-interval encoding ({@link
 * Distribution#toUnit}) over the best {@code gamma} quantile of trials ("local") is compared with
 * the density over all completed trials ("global") by the Pearson divergence {@code sum p_local^2 /
 * p_global - 1}. A parameter whose good values are spread like all its values does not matter; one
 * whose good values crowd into a small region does. The divergences are normalised to sum 1.
 *
 * <p>Densities are 1-D estimates on a grid of cells over [0, 1]: a histogram over the choices for
 * categorical parameters, otherwise a Gaussian kernel density (Scott's bandwidth) with each kernel
 * truncated to [0, 1], so that evenly spread values give a flat density up to the edges. No model
 * is fitted, so it is fast and deterministic.
 */
public final class PedAnova {

  private static final int GRID = 50;
  private static final double MIN_BANDWIDTH = 0.5 / GRID;

  private final double gamma;

  private PedAnova(double gamma) {
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException("gamma: must be in (0, 1), got " + gamma);
    }
    this.gamma = gamma;
  }

  /** The paper's and Optuna's default: the best 10% of trials are the local set. */
  public static PedAnova defaults() {
    return new PedAnova(0.1);
  }

  /** The fraction of best trials that make the local set, in (0, 1). */
  public PedAnova withGamma(double gamma) {
    return new PedAnova(gamma);
  }

  /** The local set's fraction. */
  public double gamma() {
    return gamma;
  }

  /** The importances for every objective, in the objectives' order. */
  public List<Importances> evaluate(List<Objective> objectives, List<FrozenTrial> trials) {
    List<Importances> result = new ArrayList<>();
    for (int j = 0; j < objectives.size(); j++) {
      result.add(evaluate(objectives, j, trials));
    }
    return result;
  }

  /**
   * The importances for objective {@code index}, from the completed trials with a finite value.
   *
   * @throws IllegalArgumentException if fewer than 2 such trials exist
   */
  public Importances evaluate(List<Objective> objectives, int index, List<FrozenTrial> trials) {
    Objective objective = objectives.get(index);
    List<FrozenTrial> usable =
        trials.stream()
            .filter(t -> t.state() == TrialState.COMPLETE)
            .filter(t -> t.values().size() == objectives.size())
            .filter(t -> Double.isFinite(t.values().get(index)))
            .sorted(
                Comparator.comparingDouble(
                    (FrozenTrial t) -> objective.direction().toMinimization(t.values().get(index))))
            .toList();
    if (usable.size() < 2) {
      throw new IllegalArgumentException(
          "parameter importance of '"
              + objective.name()
              + "' needs at least 2 completed trials, got "
              + usable.size());
    }
    int local = Math.max(2, (int) Math.ceil(gamma * usable.size()));
    local = Math.min(local, usable.size());
    Map<String, Double> divergences = new LinkedHashMap<>();
    for (Map.Entry<String, Distribution> p : sharedParams(usable).entrySet()) {
      Distribution dist = p.getValue();
      double[] all = new double[usable.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = dist.toUnit(usable.get(i).params().get(p.getKey()));
      }
      double[] best = Arrays.copyOf(all, local);
      int cells = histogramCells(dist);
      double[] global = cells > 0 ? histogram(all, cells) : kernelDensity(all);
      double[] top = cells > 0 ? histogram(best, cells) : kernelDensity(best);
      divergences.put(p.getKey(), pearson(top, global));
    }
    double sum = divergences.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> normalised = new LinkedHashMap<>();
    divergences.forEach((k, v) -> normalised.put(k, sum > 0 ? v / sum : 0.0));
    return new Importances(objective.name(), normalised, usable.size());
  }

  /** Parameters every trial has, with the same distribution, that can take more than one value. */
  private static Map<String, Distribution> sharedParams(List<FrozenTrial> trials) {
    Map<String, Distribution> shared = new LinkedHashMap<>(trials.get(0).distributions());
    for (FrozenTrial t : trials) {
      shared.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
    }
    shared.values().removeIf(d -> d.size() == 1);
    return shared;
  }

  /**
   * Cells for a histogram (categorical: choices have no order), or 0 for a kernel density (numbers,
   * discrete ones too: a histogram over many values would see sparseness as importance).
   */
  private static int histogramCells(Distribution dist) {
    return dist instanceof CategoricalDistribution ? (int) dist.size() : 0;
  }

  /** Cell probabilities with one pseudo-observation spread evenly, so no cell is empty. */
  private static double[] histogram(double[] unit, int cells) {
    double[] p = new double[cells];
    for (double u : unit) {
      p[Math.min(cells - 1, Math.max(0, (int) Math.floor(u * cells)))] += 1;
    }
    for (int c = 0; c < cells; c++) {
      p[c] = (p[c] + 1.0 / cells) / (unit.length + 1.0);
    }
    return p;
  }

  /** Grid-cell probabilities of a Gaussian kernel density, each kernel truncated to [0, 1]. */
  private static double[] kernelDensity(double[] unit) {
    int n = unit.length;
    double mean = 0;
    for (double u : unit) {
      mean += u / n;
    }
    double var = 0;
    for (double u : unit) {
      var += (u - mean) * (u - mean) / Math.max(1, n - 1);
    }
    double h = Math.max(MIN_BANDWIDTH, 1.06 * Math.sqrt(var) * Math.pow(n, -0.2));
    double[] p = new double[GRID];
    double[] kernel = new double[GRID];
    for (double u : unit) {
      double total = 0;
      for (int g = 0; g < GRID; g++) {
        double x = (g + 0.5) / GRID;
        double z = (x - u) / h;
        kernel[g] = Math.exp(-0.5 * z * z);
        total += kernel[g];
      }
      for (int g = 0; g < GRID; g++) {
        p[g] += kernel[g] / total;
      }
    }
    // One pseudo-observation spread evenly keeps every cell positive (p_global is a divisor).
    for (int g = 0; g < GRID; g++) {
      p[g] = (p[g] + 1.0 / GRID) / (n + 1.0);
    }
    return p;
  }

  private static double pearson(double[] local, double[] global) {
    double d = -1;
    for (int i = 0; i < local.length; i++) {
      d += local[i] * local[i] / global[i];
    }
    return Math.max(0, d);
  }
}
