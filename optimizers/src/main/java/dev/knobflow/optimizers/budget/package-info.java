/**
 * Study budgets: limits on what {@link dev.knobflow.optimizers.budget.CostMeter}s read from stored
 * trials, and the status the optimisation loop checks before starting a trial.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.budget;

import org.jspecify.annotations.NullMarked;
