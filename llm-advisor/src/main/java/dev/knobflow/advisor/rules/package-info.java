/**
 * The offline rule-based advisor.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor.rules;

import org.jspecify.annotations.NullMarked;
