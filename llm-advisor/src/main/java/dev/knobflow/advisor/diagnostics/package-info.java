/**
 * Loss-curve diagnostics: diverging, oscillating, plateau or healthy, with the evidence.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.advisor.diagnostics;

import org.jspecify.annotations.NullMarked;
