/**
 * The MLflow study storage: a study is a run, each trial a child run of it, so that several workers
 * share one study through one MLflow server (see {@link
 * dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage}).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.mlflow.storage;

import org.jspecify.annotations.NullMarked;
