/**
 * The {@code knobflow} command line (picocli).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.cli;

import org.jspecify.annotations.NullMarked;
