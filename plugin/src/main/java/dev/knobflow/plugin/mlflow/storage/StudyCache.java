package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.Objective;
import java.util.HashMap;
import java.util.HashSet;
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

  boolean loaded;
  long lastReadNanos;
  long lastFullReadNanos;

  StudyCache(String name, List<Objective> objectives, String studyRunId) {
    this.name = name;
    this.objectives = List.copyOf(objectives);
    this.studyRunId = studyRunId;
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
