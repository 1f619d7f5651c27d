/**
 * Gaussian-process Bayesian optimisation: loss transforms, the GP, the multi-objective front (EHVI)
 * and the acquisition optimiser.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers.gp;

import org.jspecify.annotations.NullMarked;
