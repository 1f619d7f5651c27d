/**
 * The tree-structured Parzen estimator, single- and multi-objective (MOTPE).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers.tpe;

import org.jspecify.annotations.NullMarked;
