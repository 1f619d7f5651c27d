package dev.knobflow.plugin.mlflow;

import dev.knobflow.mlflowrest.MlflowRuns;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.plugin.warmstart.MetaFeatureTags;
import dev.knobflow.plugin.warmstart.PastStudy;
import dev.knobflow.plugin.warmstart.PastTrial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads finished Knobflow studies back from a tracking server for warm start: parent runs tagged
 * {@code knobflow.run_type=study} with {@code knobflow.meta.*} tags, and their completed trial
 * runs' params and objective metrics.
 */
public final class MlflowPastStudies {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowPastStudies.class);

  private final MlflowRuns runs;

  private MlflowPastStudies(MlflowRuns runs) {
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  /** Reads through {@code runs}. */
  public static MlflowPastStudies on(MlflowRuns runs) {
    return new MlflowPastStudies(runs);
  }

  /** How many experiments one run search names (MLflow answers page by page either way). */
  private static final int EXPERIMENTS_PER_SEARCH = 100;

  /**
   * The finished studies in every active experiment of the server that have meta-features, except
   * {@code excludeStudy} (the study being started: its own earlier runs are no source), each with
   * its completed trials. Study runs are found by their Knobflow tag ({@code
   * knobflow.run_type=study}), so experiments without Knobflow studies cost nothing but a page of
   * the experiment list.
   */
  public List<PastStudy> fetchAll(String excludeStudy) {
    List<String> all = runs.activeExperimentIds();
    List<RunRecord> studyRuns = new ArrayList<>();
    for (int from = 0; from < all.size(); from += EXPERIMENTS_PER_SEARCH) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + EXPERIMENTS_PER_SEARCH));
      studyRuns.addAll(runs.searchRuns(chunk, STUDY_RUNS));
    }
    return studies(studyRuns, excludeStudy);
  }

  /**
   * The past studies warm start {@code spec} asks for: those in the experiments it names, or, when
   * it names none, in every experiment on the server ({@link #fetchAll}); never {@code
   * currentStudy}.
   */
  public List<PastStudy> fetch(MlflowSettings.WarmStartSpec spec, String currentStudy) {
    if (spec.experiments().isEmpty()) {
      return fetchAll(currentStudy);
    }
    List<String> experimentIds = new ArrayList<>();
    for (String name : spec.experiments()) {
      java.util.Optional<String> id = runs.findExperimentId(name);
      if (id.isEmpty()) {
        LOG.warn("warm start: experiment '{}' not found on the tracking server", name);
      }
      id.ifPresent(experimentIds::add);
    }
    if (experimentIds.isEmpty()) {
      LOG.warn("warm start: none of the experiments {} exists", spec.experiments());
      return List.of();
    }
    return fetch(experimentIds, currentStudy);
  }

  /**
   * The finished studies in {@code experimentIds} that have meta-features, except {@code
   * excludeStudy} (the study being started), each with its completed trials.
   */
  public List<PastStudy> fetch(List<String> experimentIds, String excludeStudy) {
    return studies(runs.searchRuns(experimentIds, STUDY_RUNS), excludeStudy);
  }

  private static final String STUDY_RUNS =
      KnobflowTags.equalsFilter(KnobflowTags.RUN_TYPE, KnobflowTags.RUN_TYPE_STUDY)
          + " AND attributes.status = 'FINISHED'";

  private List<PastStudy> studies(List<RunRecord> studyRuns, String excludeStudy) {
    Map<String, RunRecord> latestByStudy = new LinkedHashMap<>();
    for (RunRecord run : studyRuns) {
      String name = run.tags().get(KnobflowTags.STUDY);
      if (name == null || name.equals(excludeStudy)) {
        continue;
      }
      latestByStudy.merge(name, run, (a, b) -> a.startTime() >= b.startTime() ? a : b);
    }
    List<PastStudy> out = new ArrayList<>();
    for (Map.Entry<String, RunRecord> e : latestByStudy.entrySet()) {
      toPastStudy(e.getKey(), e.getValue()).ifPresent(out::add);
    }
    return out;
  }

  private java.util.Optional<PastStudy> toPastStudy(String name, RunRecord parent) {
    Map<String, Double> meta;
    try {
      meta = MetaFeatureTags.decode(parent.tags());
    } catch (IllegalArgumentException e) {
      LOG.warn("warm start: study '{}' skipped: {}", name, e.getMessage());
      return java.util.Optional.empty();
    }
    if (meta.isEmpty()) {
      LOG.debug("warm start: study '{}' has no meta-features", name);
      return java.util.Optional.empty();
    }
    List<Objective> objectives = objectives(parent);
    if (objectives.isEmpty()) {
      LOG.warn("warm start: study '{}' skipped: its run has no objective tags", name);
      return java.util.Optional.empty();
    }
    String trialFilter =
        KnobflowTags.trialRunFilter(name)
            + " AND "
            + KnobflowTags.equalsFilter(KnobflowTags.STATE, "COMPLETE");
    List<PastTrial> trials = new ArrayList<>();
    // The study's trials in the study run's own experiment.
    for (RunRecord t : runs.searchRuns(List.of(parent.experimentId()), trialFilter)) {
      List<Double> values = new ArrayList<>();
      for (Objective o : objectives) {
        Double v = t.metrics().get(o.name());
        if (v == null) {
          break;
        }
        values.add(v);
      }
      if (values.size() == objectives.size() && !t.params().isEmpty()) {
        trials.add(new PastTrial(new LinkedHashMap<String, Object>(t.params()), values, number(t)));
      }
    }
    return java.util.Optional.of(new PastStudy(name, meta, objectives, trials));
  }

  private static int number(RunRecord trialRun) {
    try {
      return Integer.parseInt(trialRun.tags().getOrDefault(KnobflowTags.TRIAL, ""));
    } catch (NumberFormatException e) {
      return PastTrial.UNKNOWN_NUMBER;
    }
  }

  private static List<Objective> objectives(RunRecord parent) {
    String names = parent.tags().get(KnobflowTags.OBJECTIVES);
    String directions = parent.tags().get(KnobflowTags.DIRECTIONS);
    if (names == null || directions == null) {
      return List.of();
    }
    String[] n = names.split(",");
    String[] d = directions.split(",");
    if (n.length != d.length) {
      return List.of();
    }
    List<Objective> out = new ArrayList<>();
    for (int i = 0; i < n.length; i++) {
      try {
        out.add(new Objective(n[i], Direction.parse(d[i])));
      } catch (IllegalArgumentException e) {
        return List.of();
      }
    }
    return out;
  }
}
