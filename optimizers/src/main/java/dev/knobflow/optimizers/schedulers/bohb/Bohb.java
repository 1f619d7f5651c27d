package dev.knobflow.optimizers.schedulers.bohb;

import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import java.util.Objects;

/**
 * BOHB (Falkner et al. 2018): Hyperband's brackets for budgets, with a KDE model that proposes the
 * new configurations. Both halves go into the study:
 *
 * <pre>{@code
 * Bohb bohb = Bohb.create(BudgetSettings.of(9, 729), 42);
 * Study study = Study.builder("bohb")
 *     .sampler(bohb.sampler())
 *     .scheduler(bohb.scheduler())
 *     .build();
 * }</pre>
 *
 * @param sampler the configuration model
 * @param scheduler the matching Hyperband scheduler
 */
public record Bohb(BohbSampler sampler, BracketScheduler scheduler) {

  public Bohb {
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(scheduler, "scheduler");
  }

  /** BOHB with HpBandSter's defaults. */
  public static Bohb create(BudgetSettings budgets, long seed) {
    return create(BohbSettings.of(budgets, seed));
  }

  /**
   * This BOHB with rungs, and the observations the KDEs are fitted on, ranked by {@code ranking}
   * (default {@link RungRanking#allObjectives()}), e.g. {@code
   * bohb.withRanking(RungRanking.byObjective("accuracy"))}.
   */
  public Bohb withRanking(RungRanking ranking) {
    return new Bohb(sampler.withRanking(ranking), scheduler.withRanking(ranking));
  }

  /** BOHB with explicit settings. */
  public static Bohb create(BohbSettings settings) {
    return new Bohb(new BohbSampler(settings), BracketScheduler.hyperband(settings.budgets()));
  }
}
