package dev.knobflow.optimizers.schedulers;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;

/** Never prunes, assigns no budget. */
enum NoScheduler implements Scheduler {
  INSTANCE;

  @Override
  public boolean shouldPrune(StudyView study, FrozenTrial trial) {
    return false;
  }

  @Override
  public String describe() {
    return "none";
  }
}
