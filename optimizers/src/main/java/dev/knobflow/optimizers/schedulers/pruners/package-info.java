/**
 * Pruners that stop single trials: percentile (median), threshold, patience.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.schedulers.pruners;

import org.jspecify.annotations.NullMarked;
