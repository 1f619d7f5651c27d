/**
 * Power-source detection for energy metering.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics;

import org.jspecify.annotations.NullMarked;
