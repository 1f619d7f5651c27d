/**
 * The power-source SPI, devices, samples and the constant-power fallback.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.power;

import org.jspecify.annotations.NullMarked;
