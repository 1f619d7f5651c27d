/**
 * Population-based training as a scheduler of segments continuing checkpoints.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.schedulers.pbt;

import org.jspecify.annotations.NullMarked;
