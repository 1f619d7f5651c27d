/**
 * Time as a dependency: the {@link dev.knobflow.time.Clock} and {@link dev.knobflow.time.Sleeper}
 * seams that code which waits, samples or times out takes, and the one retry policy ({@link
 * dev.knobflow.time.RetryPolicy}, {@link dev.knobflow.time.RetryLoop}) every retry or wait loop
 * uses. Tests drive the fake clock of this module's test-jar.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.time;

import org.jspecify.annotations.NullMarked;
