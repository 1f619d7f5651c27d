package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives new trials their numbers and creates their runs. MLflow has no compare-and-set on tags, but
 * params are write-once: logging param {@code knobflow.number.<n>} on the study run succeeds for
 * exactly one value, so the worker whose claim id it holds owns number {@code n}. A worker tries
 * the next number it believes free (one above the largest it has claimed or seen); when the claim
 * fails, the number is taken and it tries the next one. Then it creates the trial run with the
 * number among the run's first tags, so readers never see a trial run without its number.
 *
 * <p>Costs two requests per trial when no other worker claimed the number first, one more per
 * number lost to another worker.
 */
final class TrialNumbering {

  private static final Logger LOG = LoggerFactory.getLogger(TrialNumbering.class);

  private final ServerCalls server;
  private final String workerId;
  private long claimsLost;

  TrialNumbering(ServerCalls server, String workerId) {
    this.server = server;
    this.workerId = workerId;
  }

  /** Numbers this worker tried to claim but found taken (for tests and benchmarks). */
  long claimsLost() {
    return claimsLost;
  }

  /**
   * Claims the next free number of study {@code s} and creates its trial run.
   *
   * @return the new trial, owned by this process when {@code state} is RUNNING
   */
  TrialEntry create(
      StudyCache s,
      String experimentId,
      TrialState state,
      Map<String, String> systemAttrTags,
      Map<String, Object> systemAttrs,
      Runnable catchUp) {
    String claimId = workerId + "/" + UUID.randomUUID().toString().replace("-", "");
    int number = claim(s, claimId, catchUp);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StorageTags.KIND, StorageTags.KIND_TRIAL);
    tags.put(StorageTags.STUDY, s.name);
    tags.put(MlflowTags.PARENT_RUN_ID, s.studyRunId);
    tags.put(StorageTags.NUMBER, Integer.toString(number));
    tags.put(StorageTags.INITIAL_STATE, state.name());
    tags.put(StorageTags.STATE, state.name());
    tags.put(StorageTags.WORKER, workerId);
    tags.put(StorageTags.CLAIM_ID, claimId);
    tags.putAll(systemAttrTags);
    RunRecord run =
        createRun(s, experimentId, KnobflowTags.trialRunName(s.name, number), tags, claimId);

    TrialEntry entry = new TrialEntry(run.runId(), number, state);
    entry.systemAttrs.putAll(systemAttrs);
    if (state == TrialState.RUNNING) {
      entry.started = Instant.ofEpochMilli(run.startTime());
      entry.owned = true;
    }
    // The number as a metric too, for range-filtered reads; it rides with the trial's next write.
    entry.held.metric(StorageTags.NUMBER_METRIC, number, System.currentTimeMillis(), 0);
    return entry;
  }

  /**
   * Claims a number. Metric points waiting for the study run (the tracking listener's best-so-far
   * curve, logged as the previous trial finished: {@link StudyCache#claimRiders} and the writer's
   * buffer) ride in the claim's request instead of one of their own; a refused claim writes
   * nothing, so they go with the next attempt. Until the study run carries the number metric {@link
   * StorageTags#STUDY_RUN_NUMBER}, the claim adds it (so that reads of the trials bring the study
   * run along).
   *
   * <p>After the first lost claim it tries the next number at once: a worker that read the study
   * just before (as workers do before each trial while others run) is mostly one number behind.
   * After the second, {@code catchUp} reads the study's runs, which bring every number claimed so
   * far (the study run's params): the next attempt skips them all instead of losing one request per
   * number another worker took since this worker's last read.
   */
  private int claim(StudyCache s, String claimId, Runnable catchUp) {
    List<MetricPoint> riders = new ArrayList<>();
    int kept = Math.min(s.claimRiders.size(), MAX_METRICS_WITH_CLAIM);
    riders.addAll(s.claimRiders.subList(0, kept));
    s.claimRiders.subList(0, kept).clear();
    riders.addAll(
        server.writer().takeBufferedMetrics(s.studyRunId, MAX_METRICS_WITH_CLAIM - riders.size()));
    boolean marking = !s.studyRunMarked;
    if (marking) {
      riders.add(
          new MetricPoint(
              StorageTags.NUMBER_METRIC,
              StorageTags.STUDY_RUN_NUMBER,
              System.currentTimeMillis(),
              0));
    }
    int lost = 0;
    boolean caughtUp = false;
    try {
      while (true) {
        int n = s.nextNumber;
        boolean won =
            server.writeOnce(
                s.studyRunId, StorageTags.NUMBER_CLAIM + n, claimId, riders, Map.of(), Map.of());
        s.nextNumber = Math.max(s.nextNumber, n + 1);
        if (won) {
          riders = List.of();
          s.studyRunMarked = true;
          s.claimWonSinceRead = true; // nobody had claimed n or above: see StudyCache
          s.claimsWonSinceRead++;
          s.claimsWon++;
          return n;
        }
        claimsLost++; // number n is another worker's: unknown here until the next read
        lost++;
        // A worker that read before claiming is mostly one number behind: the next number wins
        // without a read. Losing it too means it is further behind.
        if (lost >= 2 && !caughtUp && s.studyRunMarked) {
          caughtUp = true;
          catchUp.run();
        }
      }
    } finally {
      // The claim failed for good (an outage past the tolerance): the points go back to the writer.
      if (marking && !riders.isEmpty()) {
        riders.removeIf(p -> p.key().equals(StorageTags.NUMBER_METRIC));
      }
      riders.forEach(
          p ->
              server.writer().logMetric(s.studyRunId, p.key(), p.value(), p.timestamp(), p.step()));
    }
  }

  /** At most this many metric points ride with a claim (MLflow takes 1,000 per request). */
  private static final int MAX_METRICS_WITH_CLAIM = 500;

  /**
   * Creates the run, one attempt at a time: after a failure without an answer the run may exist
   * (creation is not idempotent), so it is looked up by its claim id before another attempt.
   */
  private RunRecord createRun(
      StudyCache s, String experimentId, String name, Map<String, String> tags, String claimId) {
    boolean[] attempted = {false};
    return server.call(
        "create trial run",
        () -> {
          if (attempted[0]) {
            List<RunRecord> made =
                server.search(
                    experimentId,
                    StorageTags.trialFilter(s.name)
                        + " AND "
                        + StorageTags.tagEquals(StorageTags.CLAIM_ID, claimId));
            if (!made.isEmpty()) {
              return made.stream().min(Comparator.comparing(RunRecord::runId)).orElseThrow();
            }
          }
          attempted[0] = true;
          return server.runs().startRunOnce(experimentId, name, tags);
        });
  }
}
