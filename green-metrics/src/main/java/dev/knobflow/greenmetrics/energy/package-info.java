/**
 * Energy meters integrating power samples over a trial's wall time, per device.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.energy;

import org.jspecify.annotations.NullMarked;
