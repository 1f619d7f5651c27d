/**
 * The advisor's view of a study's objectives and search space.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor.space;

import org.jspecify.annotations.NullMarked;
