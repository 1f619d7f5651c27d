package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.optimizers.Objective;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What this process knows of one study's trials; guarded by {@link MlflowStudyStorage}. */
final class StudyCache {

  final String name;
  final List<Objective> objectives;

  /** The study run new trial runs are nested under. */
  final String studyRunId;

  final Map<String, TrialEntry> byRun = new HashMap<>();
  final TreeMap<Integer, TrialEntry> byNumber = new TreeMap<>();

  /**
   * The settled numbering prefix: every trial run with a ticket up to {@code prefixTicket} is
   * known, final, and there are {@code prefixCount} of them (numbers 0..prefixCount-1).
   */
  long prefixTicket = -1;

  int prefixCount;

  /**
   * The settled window's start: every trial run with a ticket up to {@code settledTicket} is in
   * this cache and finished (or abandoned), and no run can draw such a ticket any more (it is never
   * above {@link #prefixTicket}). Incremental reads fetch only runs with larger tickets.
   */
  long settledTicket = -1;

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
  }
}
