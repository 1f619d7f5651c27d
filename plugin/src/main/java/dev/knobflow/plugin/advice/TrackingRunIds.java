package dev.knobflow.plugin.advice;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import java.util.Optional;

/**
 * Finds the MLflow runs of a study and its trials: the study's parent run and each trial's child
 * run. The MLflow tracking listener knows them; tests give their own.
 */
public interface TrackingRunIds {

  /** The study's parent run, if one is known. */
  Optional<String> studyRun(StudyView study);

  /** The trial's run, if one is known. */
  Optional<String> trialRun(StudyView study, FrozenTrial trial);
}
