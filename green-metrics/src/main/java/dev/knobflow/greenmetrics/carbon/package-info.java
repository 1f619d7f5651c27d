/**
 * Carbon intensity: grams CO2e per kWh from a shipped per-country table or a configured value.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.carbon;

import org.jspecify.annotations.NullMarked;
