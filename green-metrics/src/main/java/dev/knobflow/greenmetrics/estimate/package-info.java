/**
 * Energy estimated from CPU time where nothing measures power ({@code CpuPowerModel}, read through
 * the {@code CpuTimeReader} seam).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.estimate;

import org.jspecify.annotations.NullMarked;
