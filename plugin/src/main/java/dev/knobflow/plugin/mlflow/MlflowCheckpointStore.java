package dev.knobflow.plugin.mlflow;

import dev.knobflow.mlflowrest.MlflowArtifacts;
import dev.knobflow.mlflowrest.MlflowTrackingException;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Trial;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checkpoints kept as artifacts of the study's MLflow run, under {@value #DIRECTORY}{@code
 * /trial-<number>/}, so that workers on several machines sharing no file system hand them over
 * through the tracking server (its artifact store: a directory, S3 or GCS behind the server's
 * proxied artifact API). A trial's checkpoint is recorded as {@code runs:/<run id>/checkpoints/
 * trial-<number>} ({@link Checkpoint#LOCATION_ATTR}); restoring downloads it into the caller's
 * scratch directory; pruning deletes the artifact directory. Uploads, downloads and deletes go
 * through the tracking connection's {@link MlflowArtifacts}, with its retry policy.
 *
 * <p>Only what the trial wrote into its checkpoint directory is uploaded: no environment, no
 * parameters, nothing the command did not put there.
 */
public final class MlflowCheckpointStore implements CheckpointStore {

  /** The artifact directory of the study run holding the checkpoints. */
  public static final String DIRECTORY = "checkpoints";

  private static final String SCHEME = "runs:/";

  private final MlflowArtifacts artifacts;
  private final Supplier<String> studyRunId;

  private MlflowCheckpointStore(MlflowArtifacts artifacts, Supplier<String> studyRunId) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.studyRunId = Objects.requireNonNull(studyRunId, "studyRunId");
  }

  /**
   * Checkpoints among the artifacts of the run {@code studyRunId} names (looked up at the first
   * save, so it may be the study run a tracking listener binds later).
   */
  public static MlflowCheckpointStore of(MlflowArtifacts artifacts, Supplier<String> studyRunId) {
    return new MlflowCheckpointStore(artifacts, studyRunId);
  }

  /** Checkpoints among the artifacts of the run {@code runId}. */
  public static MlflowCheckpointStore of(MlflowArtifacts artifacts, String runId) {
    Objects.requireNonNull(runId, "runId");
    return new MlflowCheckpointStore(artifacts, () -> runId);
  }

  /** The artifact path of a trial's checkpoint, relative to the run's artifact root. */
  public static String artifactPath(int trial) {
    return DIRECTORY + "/trial-" + trial;
  }

  @Override
  public void save(Trial trial, Path directory) {
    String runId = studyRunId.get();
    String path = artifactPath(trial.number());
    // A segment run again after its worker died may have left part of an upload.
    artifacts.delete(runId, path);
    artifacts.uploadDirectory(runId, directory, path);
    trial.checkpoint().saveLocation(SCHEME + runId + "/" + path);
  }

  @Override
  public Optional<Path> restore(Trial trial, Path scratch) {
    Optional<String> location = trial.checkpoint().loadLocation();
    if (location.isEmpty()) {
      return Optional.empty();
    }
    Location l = parse(location.get());
    try {
      artifacts.download(l.runId(), l.path(), scratch);
    } catch (MlflowTrackingException e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      throw new IllegalStateException(
          "trial "
              + trial.number()
              + ": the checkpoint it starts from, "
              + location.get()
              + ", is no longer in the study run's artifacts (deleted by hand, or pruned by a"
              + " worker that could not see this trial)",
          e);
    }
    return Optional.of(scratch);
  }

  @Override
  public boolean delete(FrozenTrial trial) {
    if (!(trial.systemAttrs().get(Checkpoint.LOCATION_ATTR) instanceof String location)
        || !location.startsWith(SCHEME)) {
      return false;
    }
    Location l = parse(location);
    artifacts.delete(l.runId(), l.path());
    return true;
  }

  private record Location(String runId, String path) {}

  private static Location parse(String location) {
    if (!location.startsWith(SCHEME) || location.indexOf('/', SCHEME.length()) < 0) {
      throw new IllegalArgumentException(
          "checkpoint location '"
              + location
              + "' is not an MLflow artifact (runs:/<run id>/<path>); was the study run with"
              + " another checkpoint store?");
    }
    int slash = location.indexOf('/', SCHEME.length());
    return new Location(location.substring(SCHEME.length(), slash), location.substring(slash + 1));
  }
}
