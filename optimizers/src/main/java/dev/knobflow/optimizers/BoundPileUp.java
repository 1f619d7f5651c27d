package dev.knobflow.optimizers;

import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The best trials pile up at a bound of a numeric parameter: the optimum may lie outside the range
 * ("are the ranges correct?"). The one definition, used by {@code tune}'s summary, the report and
 * the MLflow study run:
 *
 * <ul>
 *   <li>from {@value #MIN_TRIALS} completed trials on (at the highest budget reached in a
 *       multi-fidelity study);
 *   <li>the best trials are the best 10% by the objective (at least {@value #MIN_TOP}; feasible
 *       ones first, as everywhere), or the Pareto front with several objectives;
 *   <li>a trial is at a bound when its value lies within 1% of the range from it, in log space for
 *       a log range (an integer range under 100 wide: exactly on it);
 *   <li>a parameter piles up when at least half of the best trials (and at least 2) sit at the same
 *       bound.
 * </ul>
 *
 * <p>The suggested range extends the crowded side by half the range (a decade for a log range),
 * without crossing zero when the range is positive, nor going below 1 for an integer range that
 * starts at 1 or more.
 *
 * @param param the parameter's name
 * @param upper whether the pile-up is at the upper bound (else the lower)
 * @param bound the bound's value
 * @param atBound how many of the best trials sit at it
 * @param best how many best trials were looked at
 * @param distribution the parameter's range
 * @param suggestedLow the suggested range's low end
 * @param suggestedHigh the suggested range's high end
 */
public record BoundPileUp(
    String param,
    boolean upper,
    double bound,
    int atBound,
    int best,
    Distribution distribution,
    double suggestedLow,
    double suggestedHigh) {

  /** Completed trials needed before anything is said. */
  public static final int MIN_TRIALS = 20;

  /** The fewest best trials looked at in a single-objective study. */
  public static final int MIN_TOP = 5;

  /** The share of the range (log-aware) that counts as "at the bound". */
  public static final double NEAR = 0.01;

  /** The pile-ups in {@code trials}, in parameter order; empty when nothing piles up. */
  public static List<BoundPileUp> find(List<FrozenTrial> trials, List<Objective> objectives) {
    List<FrozenTrial> completed =
        trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
    List<FrozenTrial> pool = ParetoFronts.atTopBudget(completed);
    if (pool.size() < MIN_TRIALS) {
      return List.of();
    }
    List<FrozenTrial> top = best(pool, objectives);
    Map<String, Distribution> space = new LinkedHashMap<>();
    for (FrozenTrial t : pool) {
      t.distributions().forEach(space::putIfAbsent);
    }
    List<BoundPileUp> out = new ArrayList<>();
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      Distribution d = e.getValue();
      double low;
      double high;
      boolean log;
      if (d instanceof FloatDistribution f) {
        low = f.low();
        high = f.high();
        log = f.log();
      } else if (d instanceof IntDistribution i) {
        low = i.low();
        high = i.high();
        log = i.log();
      } else {
        continue;
      }
      int atLow = 0;
      int atHigh = 0;
      for (FrozenTrial t : top) {
        if (t.params().get(e.getKey()) instanceof Number n
            && d.equals(t.distributions().get(e.getKey()))) {
          double u = position(n.doubleValue(), low, high, log);
          atLow += u <= NEAR ? 1 : 0;
          atHigh += u >= 1 - NEAR ? 1 : 0;
        }
      }
      boolean upper = atHigh >= atLow;
      int at = Math.max(atLow, atHigh);
      if (at >= 2 && 2 * at >= top.size()) {
        double[] wider = wider(low, high, log, upper, d instanceof IntDistribution);
        out.add(
            new BoundPileUp(
                e.getKey(), upper, upper ? high : low, at, top.size(), d, wider[0], wider[1]));
      }
    }
    return List.copyOf(out);
  }

  /** The best trials: the top 10% (at least {@link #MIN_TOP}) or the Pareto front. */
  private static List<FrozenTrial> best(List<FrozenTrial> pool, List<Objective> objectives) {
    if (objectives.size() > 1) {
      return ParetoFronts.of(pool, objectives);
    }
    Direction direction = objectives.get(0).direction();
    Comparator<FrozenTrial> order =
        Comparator.comparingDouble((FrozenTrial t) -> t.isFeasible() ? 0 : t.totalViolation())
            .thenComparingDouble(t -> direction.toMinimization(t.value()));
    int k = Math.max(MIN_TOP, (int) Math.ceil(pool.size() * 0.1));
    return pool.stream().sorted(order).limit(k).toList();
  }

  private static double position(double v, double low, double high, boolean log) {
    return log
        ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low))
        : (v - low) / (high - low);
  }

  private static double[] wider(double low, double high, boolean log, boolean upper, boolean ints) {
    double newLow = low;
    double newHigh = high;
    if (log) {
      if (upper) {
        newHigh = high * 10;
      } else {
        newLow = low / 10;
      }
    } else {
      double half = (high - low) / 2;
      if (upper) {
        newHigh = high < 0 ? Math.min(0, high + half) : high + half;
      } else {
        newLow = low > 0 ? Math.max(0, low - half) : low - half;
      }
    }
    if (ints) {
      // A positive integer (a depth, a count) stays at least 1.
      newLow = low >= 1 ? Math.max(1, Math.floor(newLow)) : Math.floor(newLow);
      newHigh = Math.ceil(newHigh);
    }
    return new double[] {newLow, newHigh};
  }

  /** {@code "upper"} or {@code "lower"}. */
  public String side() {
    return upper ? "upper" : "lower";
  }

  /**
   * One line for people, e.g. {@code 6 of the 7 best trials have eta at its upper bound 0.3:
   * consider widening the range to [0.01, 0.45]}.
   */
  public String describe() {
    return atBound
        + " of the "
        + best
        + " best trials have "
        + param
        + " at its "
        + side()
        + " bound "
        + number(bound)
        + ": consider widening the range to ["
        + number(suggestedLow)
        + ", "
        + number(suggestedHigh)
        + "]";
  }

  /** The suggested range as text, e.g. {@code [0.01, 0.45]}. */
  public String suggestedRange() {
    return "[" + number(suggestedLow) + ", " + number(suggestedHigh) + "]";
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      return s.replaceAll("\\.?0+e", "e");
    }
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
