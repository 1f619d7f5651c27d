package dev.knobflow.optimizers;

import java.util.List;
import java.util.Set;

/** A read-only view of a study, as samplers, schedulers and listeners see it. */
public interface StudyView {

  /** The study's name. */
  String name();

  /** The objectives in order. */
  List<Objective> objectives();

  /** Every trial in number order. */
  List<FrozenTrial> trials();

  /** The trials in the given states, in number order. */
  List<FrozenTrial> trials(Set<TrialState> states);

  /** The space declared up front, or an empty space for a purely define-by-run study. */
  dev.knobflow.optimizers.distributions.SearchSpace declaredSpace();

  /** Whether the study has more than one objective. */
  default boolean isMultiObjective() {
    return objectives().size() > 1;
  }
}
