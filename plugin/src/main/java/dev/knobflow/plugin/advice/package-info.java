/**
 * Running the advisor within a study: requests, modes and report sinks.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.advice;

import org.jspecify.annotations.NullMarked;
