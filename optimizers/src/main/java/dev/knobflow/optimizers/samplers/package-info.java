/**
 * The sampler SPI ({@link dev.knobflow.optimizers.samplers.Sampler}, {@link
 * dev.knobflow.optimizers.samplers.RelativeSample}) and the model-free samplers: random, grid,
 * Sobol, and the automatic choice.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers;

import org.jspecify.annotations.NullMarked;
