package dev.knobflow.mlflowrest;

/**
 * Counters of an {@link MlflowWriter}.
 *
 * @param accepted writes accepted by {@code log*}/{@code setTag}/{@code terminate}
 * @param delivered writes the server stored (duplicates merged within a request count once each)
 * @param failed writes the server refused for good (see {@link MlflowWriter#failures()})
 * @param pending writes buffered or in flight
 * @param requests HTTP requests issued, failed attempts included
 * @param retries attempts repeated after a transient failure
 */
public record WriterStats(
    long accepted, long delivered, long failed, long pending, long requests, long retries) {}
