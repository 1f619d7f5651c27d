/**
 * Parameter distributions (float, int, categorical) and search spaces.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.distributions;

import org.jspecify.annotations.NullMarked;
