/**
 * Successive halving, Hyperband and ASHA brackets, with rung ranking by one or all objectives.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.schedulers.hyperband;

import org.jspecify.annotations.NullMarked;
