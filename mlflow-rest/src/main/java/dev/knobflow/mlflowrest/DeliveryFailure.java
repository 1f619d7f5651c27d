package dev.knobflow.mlflowrest;

/**
 * A write the server refused for good (not a transient failure): kept so that nothing is dropped
 * silently.
 *
 * @param runId the run written to
 * @param what the write, e.g. {@code param lr=0.1}
 * @param reason the server's answer
 */
public record DeliveryFailure(String runId, String what, String reason) {}
