/**
 * Objectives: Java classes and external commands under a process supervisor, with constraints.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.objective;

import org.jspecify.annotations.NullMarked;
