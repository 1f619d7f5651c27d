package dev.knobflow.plugin.warmstart;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link WarmStart#plan}: the studies by distance, the configurations to enqueue in
 * order, and a human-readable log of what was taken, clamped or skipped and why.
 *
 * @param ranking every comparable past study, nearest first
 * @param configurations the configurations to enqueue, nearest study first, without duplicates
 * @param log one line per decision, for the caller to log
 */
public record WarmStartPlan(
    List<RankedStudy> ranking, List<PlannedConfiguration> configurations, List<String> log) {

  public WarmStartPlan {
    ranking = List.copyOf(ranking);
    configurations = List.copyOf(configurations);
    log = List.copyOf(log);
  }

  /** The parameter maps, in order, as {@link dev.knobflow.optimizers.Study#enqueue} takes them. */
  public List<Map<String, Object>> parameterMaps() {
    return configurations.stream().map(PlannedConfiguration::params).toList();
  }

  /** The log as one text, a line per decision. */
  public String logText() {
    return String.join(System.lineSeparator(), log);
  }
}
