package dev.knobflow.mlflowrest;

/**
 * An entry of a run's artifact listing.
 *
 * @param path path relative to the run's artifact root
 * @param directory whether it is a directory
 * @param size size in bytes, 0 for directories
 */
public record ArtifactInfo(String path, boolean directory, long size) {}
