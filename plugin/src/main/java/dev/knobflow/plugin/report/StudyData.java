package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.StudyRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a report is made of: a study's name, objectives, trials and attributes.
 *
 * @param name the study's name
 * @param objectives the objectives in order (at least one)
 * @param trials every trial, in number order
 * @param attrs the study's attributes (sampler, seed, {@code space_overrides}...)
 */
public record StudyData(
    String name, List<Objective> objectives, List<FrozenTrial> trials, Map<String, Object> attrs) {

  public StudyData {
    Objects.requireNonNull(name, "name");
    objectives = List.copyOf(objectives);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("objectives: at least one is needed");
    }
    trials = List.copyOf(trials);
    attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  /** A live or stored study. */
  public static StudyData of(StudyView study) {
    return new StudyData(study.name(), study.objectives(), study.trials(), Map.of());
  }

  /** A study as a storage holds it, with its trials. */
  public static StudyData of(StudyRecord study, List<FrozenTrial> trials) {
    return new StudyData(study.name(), study.objectives(), trials, study.attrs());
  }

  /** Trials without a study: the name is only used for titles. */
  public static StudyData of(String name, List<Objective> objectives, List<FrozenTrial> trials) {
    return new StudyData(name, objectives, trials, Map.of());
  }

  /** Completed trials whose every value is finite, in number order. */
  public List<FrozenTrial> completed() {
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETE)
        .filter(t -> t.values().size() == objectives.size())
        .filter(t -> t.values().stream().allMatch(Double::isFinite))
        .toList();
  }

  /** Whether the study has more than one objective. */
  public boolean isMultiObjective() {
    return objectives.size() > 1;
  }
}
