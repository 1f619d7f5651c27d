/**
 * The storage SPI ({@link dev.knobflow.optimizers.storage.StudyStorage}) and the embedded storages:
 * in memory and the journal file.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.optimizers.storage;

import org.jspecify.annotations.NullMarked;
