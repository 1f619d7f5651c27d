package dev.knobflow.optimizers.schedulers.hyperband;

/**
 * One successive-halving bracket of Hyperband: {@code configs} configurations start at {@code
 * baseBudget}; at rung {@code i} there are {@code floor(configs * eta^-i)} of them, each with
 * budget {@code baseBudget * eta^i}, for rungs {@code 0 .. s}.
 *
 * @param s the bracket's index, also its highest rung
 * @param configs the configurations at rung 0
 * @param baseBudget the budget at rung 0
 * @param eta the reduction factor
 */
public record Bracket(int s, int configs, double baseBudget, double eta) {

  /** The number of rungs, {@code s + 1}. */
  public int rungCount() {
    return s + 1;
  }

  /** The configurations evaluated at rung {@code i}. */
  public int configsAt(int rung) {
    checkRung(rung);
    return (int) Math.floor(configs * Math.pow(eta, -rung) + 1e-9);
  }

  /** The budget at rung {@code i}. */
  public double budgetAt(int rung) {
    checkRung(rung);
    return baseBudget * Math.pow(eta, rung);
  }

  /** The total budget the bracket spends when every rung is full. */
  public double totalBudget() {
    double total = 0;
    for (int i = 0; i <= s; i++) {
      total += configsAt(i) * budgetAt(i);
    }
    return total;
  }

  private void checkRung(int rung) {
    if (rung < 0 || rung > s) {
      throw new IllegalArgumentException("rung must be in [0, " + s + "], got " + rung);
    }
  }
}
