/**
 * The Spark runner: worker loops as Spark tasks.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.spark;

import org.jspecify.annotations.NullMarked;
