/**
 * Intel RAPL energy counters under {@code /sys/class/powercap}.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.rapl;

import org.jspecify.annotations.NullMarked;
