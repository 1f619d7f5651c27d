/**
 * Warm start: dataset meta-features, the nearest past studies and their configurations.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.warmstart;

import org.jspecify.annotations.NullMarked;
