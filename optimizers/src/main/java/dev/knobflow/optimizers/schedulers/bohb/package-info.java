/**
 * BOHB: Hyperband brackets with a KDE model proposing the configurations.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.schedulers.bohb;

import org.jspecify.annotations.NullMarked;
