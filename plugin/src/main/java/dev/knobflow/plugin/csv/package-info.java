/**
 * The one CSV reader: warm start's datasets and the examples' read through {@link
 * dev.knobflow.plugin.csv.CsvReader}, which streams records with jackson-dataformat-csv.
 */
@NullMarked
package dev.knobflow.plugin.csv;

import org.jspecify.annotations.NullMarked;
