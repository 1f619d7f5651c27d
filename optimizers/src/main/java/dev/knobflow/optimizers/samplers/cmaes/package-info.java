/**
 * CMA-ES sampling with IPOP restarts, the integer margin and WS-CMA-ES warm start; its state is
 * rebuilt from stored trials.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers.cmaes;

import org.jspecify.annotations.NullMarked;
