/**
 * Pareto machinery on plain arrays: dominance and non-dominated sorting (with constraint
 * domination), crowding distance, exact hypervolume and hypervolume contributions, and quality
 * indicators.
 *
 * <p>Every class works on objective values in minimisation form, {@code double[][] points} with
 * {@code points[i][j]} the value of objective {@code j} for point {@code i}; use {@link
 * dev.knobflow.optimizers.pareto.MinimizationForm} to convert values with maximised objectives.
 * Inputs are never modified. The classes are stateless and thread-safe.
 */
@NullMarked
package dev.knobflow.optimizers.pareto;

import org.jspecify.annotations.NullMarked;
