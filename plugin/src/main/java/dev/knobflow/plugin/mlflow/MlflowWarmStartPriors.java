package dev.knobflow.plugin.mlflow;

import dev.knobflow.mlflowrest.MlflowRuns;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.warmstart.PastStudy;
import dev.knobflow.plugin.warmstart.WarmStart;
import dev.knobflow.plugin.warmstart.WarmStartPlan;
import dev.knobflow.plugin.warmstart.WarmStartPriors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm start {@code use: prior | both}: the past studies' planned configurations with their values,
 * as {@link PriorObservation}s for the sampler the study is built with. Priors are configuration,
 * not trials, so they are computed for every run of the study, resumed ones included.
 */
public final class MlflowWarmStartPriors {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowWarmStartPriors.class);

  private MlflowWarmStartPriors() {}

  /**
   * The priors for {@code config}; empty when warm start is off, only enqueues, or finds nothing.
   *
   * @param runs the tracking server's runs
   * @param spec the warm-start settings, if any
   * @param metaFeatures the current dataset's meta-features
   */
  public static List<PriorObservation> compute(
      MlflowRuns runs,
      Optional<MlflowSettings.WarmStartSpec> spec,
      Map<String, Double> metaFeatures,
      StudyConfig config) {
    if (spec.isEmpty() || !spec.get().use().priors()) {
      return List.of();
    }
    List<PastStudy> past = MlflowPastStudies.on(runs).fetch(spec.get(), config.name());
    WarmStartPlan plan =
        WarmStart.builder()
            .neighbours(spec.get().neighbours())
            .configurationsPerStudy(spec.get().perStudy())
            .build()
            .plan(metaFeatures, past, config.space());
    WarmStartPriors priors = WarmStartPriors.of(plan, config.space(), config.objectives());
    priors.log().forEach(line -> LOG.info("warm start priors: {}", line));
    LOG.info(
        "warm start: {} prior observation{} for the sampler from {} past stud{}",
        priors.priors().size(),
        priors.priors().size() == 1 ? "" : "s",
        past.size(),
        past.size() == 1 ? "y" : "ies");
    return priors.priors();
  }
}
