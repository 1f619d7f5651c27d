/**
 * Recovery of stale running trials.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.recovery;

import org.jspecify.annotations.NullMarked;
