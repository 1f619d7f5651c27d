/**
 * MLflow tracking of a study: the study run and its trial runs, tags, the study summary, reports
 * and warm starts from past studies' runs.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.mlflow;

import org.jspecify.annotations.NullMarked;
