/**
 * Parzen estimators shared by TPE and BOHB's density model.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.samplers.parzen;

import org.jspecify.annotations.NullMarked;
