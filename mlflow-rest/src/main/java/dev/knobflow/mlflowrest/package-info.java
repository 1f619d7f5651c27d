/**
 * Low-level MLflow tracking layer: connection and credentials, batched and buffered writes within
 * MLflow's limits, run helpers and artifact upload over the server's proxied artifact API.
 *
 * <p>Nothing here depends on the optimisation engine; the plugin's study listeners compose these
 * pieces. Start with {@link dev.knobflow.mlflowrest.MlflowTracking}.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.mlflowrest;

import org.jspecify.annotations.NullMarked;
