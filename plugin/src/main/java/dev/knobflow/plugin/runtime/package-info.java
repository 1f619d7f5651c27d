/**
 * A study file made runnable: {@code StudyRunner} opens the storage and builds the sampler, the
 * objective and the study from a {@code StudyConfig}.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.runtime;

import org.jspecify.annotations.NullMarked;
