/**
 * The engine's core: {@link dev.knobflow.optimizers.Study} (ask, tell, optimize, fronts), trials
 * and their immutable snapshots, objectives and the optimisation loop.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers;

import org.jspecify.annotations.NullMarked;
