/**
 * The advisor's Markdown report of its consultations.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor.report;

import org.jspecify.annotations.NullMarked;
