/**
 * Advisors: advice requests, validated advice and its actions.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor;

import org.jspecify.annotations.NullMarked;
