/**
 * The nvidia-smi power source: one long-running query process shared by all trials.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.greenmetrics.nvidia;

import org.jspecify.annotations.NullMarked;
