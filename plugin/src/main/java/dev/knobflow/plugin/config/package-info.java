/**
 * The study file: parsing it into a {@code StudyConfig} and building the running study from it.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.config;

import org.jspecify.annotations.NullMarked;
