package dev.knobflow.mlflowrest;

/**
 * One stored value of a metric.
 *
 * @param key metric name
 * @param value the value
 * @param timestamp epoch millis
 * @param step training step or epoch
 */
public record MetricPoint(String key, double value, long timestamp, long step) {}
