/**
 * The scheduler (pruner) SPI, deciding at each report whether a trial continues and assigning
 * budgets.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.schedulers;

import org.jspecify.annotations.NullMarked;
