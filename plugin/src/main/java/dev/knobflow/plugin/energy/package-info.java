/**
 * Energy-measured objectives and the energy, GPU-hour and carbon budget meters.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.energy;

import org.jspecify.annotations.NullMarked;
