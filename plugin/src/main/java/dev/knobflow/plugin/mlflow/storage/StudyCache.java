package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.storage.StudyRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** What this process knows of one study's trials; guarded by {@link MlflowStudyStorage}. */
final class StudyCache {

  final String name;
  final List<Objective> objectives;

  /** The study run new trial runs are nested under. */
  final String studyRunId;

  final Map<String, TrialEntry> byRun = new HashMap<>();
  final TreeMap<Integer, TrialEntry> byNumber = new TreeMap<>();

  /** The number this worker tries to claim next: above every number it claimed or has seen. */
  int nextNumber;

  /**
   * The settled window's end: every trial numbered up to {@code settledNumber} is in this cache and
   * finished (or a permanent gap, see {@link #gaps}). Incremental reads fetch only runs with larger
   * numbers.
   */
  int settledNumber = -1;

  /**
   * Numbers below the largest seen that two full reads in a row did not find: claimed by a worker
   * that died before it created the run. The settled window passes over them.
   */
  final Set<Integer> gaps = new HashSet<>();

  /** Numbers the last full read did not find (gap candidates). */
  Set<Integer> missingAtLastFullRead = Set.of();

  /**
   * Whether this worker won a number claim since its last read. A won claim of number {@code n}
   * proves that nobody had claimed {@code n} or above (workers claim the lowest number they believe
   * free), so with every lower number known, no other worker has created a trial this cache lacks;
   * a trial another worker creates later takes a number this worker will try next, so its next
   * claim is lost and the read after it fetches the trial.
   */
  boolean claimWonSinceRead;

  /** Number claims this worker won since its last read of the trials, and in all. */
  int claimsWonSinceRead;

  long claimsWon;

  /** The study as last read (attributes merged over its study runs), and when. */
  StudyRecord record;

  long recordReadNanos;

  /** How many study runs the study had when this cache was made (normally one). */
  int studyRunCount = 1;

  /**
   * Whether the study run carries the number metric {@link StorageTags#STUDY_RUN_NUMBER}, so that
   * every read of the trials brings it along (its attributes and number claims) and no separate
   * read of the study run is needed.
   */
  boolean studyRunMarked;

  /**
   * Points for the study run (the tracking listener's best-so-far curve) that wait for this
   * worker's next number claim, a request to the study run it sends anyway, and since when. They
   * are kept out of the writer so that the flush before a read (which must send the trials' writes)
   * does not send them alone; {@link MlflowStudyStorage#flush()} and the write hold's clock send
   * them when no claim comes.
   */
  final List<MetricPoint> claimRiders = new ArrayList<>();

  long claimRidersSinceNanos;

  boolean loaded;
  long lastReadNanos;
  long lastFullReadNanos;

  StudyCache(StudyRecord record, String studyRunId, long readNanos) {
    this.name = record.name();
    this.objectives = List.copyOf(record.objectives());
    this.studyRunId = studyRunId;
    this.record = record;
    this.recordReadNanos = readNanos;
  }

  /**
   * Whether what this worker knows could be stale only by its own doing: it won a number claim
   * since its last read of the trials and no other worker's trial is left to change.
   */
  boolean aloneSinceLastRead() {
    return claimWonSinceRead && onlyOwnTrialsUnsettled();
  }

  /**
   * Whether another worker has created a trial since this one created its first: then the study has
   * several workers, and a decision they share (the trial target) must not rest on "alone since the
   * last read", which only the next lost claim corrects.
   */
  boolean othersWorking() {
    Integer firstOwn = null;
    for (TrialEntry e : byNumber.values()) {
      if (e.owned) {
        firstOwn = e.number;
        break;
      }
    }
    if (firstOwn == null) {
      return byNumber.values().stream().anyMatch(e -> !e.settled);
    }
    return byNumber.tailMap(firstOwn, false).values().stream().anyMatch(e -> !e.owned);
  }

  /** The cached study with one attribute set (this worker's own write). */
  void putAttr(String key, Object value) {
    Map<String, Object> attrs = new LinkedHashMap<>(record.attrs());
    attrs.put(key, value);
    record = new StudyRecord(record.name(), record.objectives(), attrs, record.created());
  }

  void put(TrialEntry entry) {
    byRun.put(entry.runId, entry);
    byNumber.put(entry.number, entry);
    nextNumber = Math.max(nextNumber, entry.number + 1);
  }

  /**
   * Numbers below the largest one that neither this full read nor the previous one found became
   * permanent gaps: their worker claimed them and died before creating the run (one request).
   */
  void noteGaps(List<RunRecord> runs) {
    int max = -1;
    Set<Integer> seen = new HashSet<>(byNumber.keySet());
    for (RunRecord r : runs) {
      Optional<Integer> n = TrialEntry.numberOf(r);
      if (n.isPresent()) {
        seen.add(n.get());
        max = Math.max(max, n.get());
      }
    }
    Set<Integer> missing = new HashSet<>();
    for (int i = 0; i < max; i++) {
      if (!seen.contains(i)) {
        missing.add(i);
        if (missingAtLastFullRead.contains(i)) {
          gaps.add(i);
        }
      }
    }
    missingAtLastFullRead = missing;
  }

  /**
   * Whether every trial past the settled window is this worker's own (no other worker's trial is
   * left to change) and no number below {@link #nextNumber} is unknown (one lost to another
   * worker's claim, or a run not yet visible).
   */
  boolean onlyOwnTrialsUnsettled() {
    advanceSettledWindow();
    for (int n = settledNumber + 1; n < nextNumber; n++) {
      TrialEntry e = byNumber.get(n);
      if (e == null ? !gaps.contains(n) : !e.owned && !e.settled) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves {@link #settledNumber} past every following number whose trial is finished and cached, or
   * a permanent gap. A number whose run is not visible yet stops it.
   */
  void advanceSettledWindow() {
    while (true) {
      int next = settledNumber + 1;
      TrialEntry e = byNumber.get(next);
      if ((e != null && e.settled) || gaps.contains(next)) {
        settledNumber = next;
      } else {
        return;
      }
    }
  }
}
