package dev.knobflow.optimizers.schedulers.hyperband;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource range of a multi-fidelity scheduler, in the user's own units (epochs, boosting
 * rounds, a data fraction...), and the reduction factor between rungs.
 *
 * @param minBudget the smallest budget a configuration is evaluated with ({@code r}), positive
 * @param maxBudget the largest budget ({@code R}), above {@code minBudget}
 * @param eta the reduction factor: 1/eta of a rung's configurations go on with eta times the
 *     budget; at least 2
 */
public record BudgetSettings(double minBudget, double maxBudget, double eta) {

  /** The default reduction factor, as in Li et al. 2018 and BOHB. */
  public static final double DEFAULT_ETA = 3;

  // Guards the floor of log_eta(R/r) against rounding (log_3(81) = 3.9999999999999996).
  private static final double EPSILON = 1e-9;

  public BudgetSettings {
    if (!(minBudget > 0) || Double.isInfinite(minBudget)) {
      throw new IllegalArgumentException(
          "scheduler.min_budget must be a positive number, got " + minBudget);
    }
    if (!(maxBudget > minBudget) || Double.isInfinite(maxBudget)) {
      throw new IllegalArgumentException(
          "scheduler.min_budget ("
              + minBudget
              + ") must be below scheduler.max_budget ("
              + maxBudget
              + ")");
    }
    if (!(eta >= 2) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException(
          "scheduler.eta must be a number of at least 2, got " + eta);
    }
  }

  /** Budgets from {@code minBudget} to {@code maxBudget} with eta 3. */
  public static BudgetSettings of(double minBudget, double maxBudget) {
    return new BudgetSettings(minBudget, maxBudget, DEFAULT_ETA);
  }

  /** These settings with another eta. */
  public BudgetSettings withEta(double eta) {
    return new BudgetSettings(minBudget, maxBudget, eta);
  }

  /** {@code s_max = floor(log_eta(R / r))}: the index of the most exploratory bracket. */
  public int maxBracket() {
    return (int) Math.floor(Math.log(maxBudget / minBudget) / Math.log(eta) + EPSILON);
  }

  /**
   * Hyperband's brackets {@code s = s_max .. 0}: bracket s starts {@code n = ceil((s_max + 1) / (s
   * + 1) * eta^s)} configurations at budget {@code R * eta^-s}.
   */
  public List<Bracket> brackets() {
    int sMax = maxBracket();
    List<Bracket> out = new ArrayList<>();
    for (int s = sMax; s >= 0; s--) {
      out.add(bracket(s));
    }
    return out;
  }

  /** Bracket {@code s} (0 .. s_max). */
  public Bracket bracket(int s) {
    int sMax = maxBracket();
    if (s < 0 || s > sMax) {
      throw new IllegalArgumentException("bracket s must be in [0, " + sMax + "], got " + s);
    }
    int configs = (int) Math.ceil((sMax + 1.0) / (s + 1.0) * Math.pow(eta, s) - EPSILON);
    return new Bracket(s, configs, maxBudget * Math.pow(eta, -s), eta);
  }
}
