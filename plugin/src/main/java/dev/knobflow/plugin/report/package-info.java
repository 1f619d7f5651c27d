/**
 * Study reports: one data model feeding the HTML report, the PNG charts and the Markdown summary.
 *
 * <p>Types are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.knobflow.plugin.report;

import org.jspecify.annotations.NullMarked;
