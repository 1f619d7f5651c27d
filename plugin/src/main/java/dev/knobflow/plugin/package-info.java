/**
 * The public facade: {@code Knobflow} and the version.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin;

import org.jspecify.annotations.NullMarked;
