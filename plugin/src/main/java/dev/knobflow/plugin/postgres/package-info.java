/**
 * The PostgreSQL storage (JDBC and HikariCP, optional dependencies).
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.postgres;

import org.jspecify.annotations.NullMarked;
