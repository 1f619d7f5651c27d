/**
 * Hyperparameter importance (PED-ANOVA).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.importance;

import org.jspecify.annotations.NullMarked;
