/**
 * NSGA-II on Jenetics operators: generations, parents and survivors derived from stored trials.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers.nsga2;

import org.jspecify.annotations.NullMarked;
