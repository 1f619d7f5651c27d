package dev.knobflow.advisor.llm;

import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The per-study bookkeeping of LLM calls, owned by the caller (one per study, no global state): at
 * most {@code maxCalls} calls, and never two for the same (trial, diagnosis kind). Thread-safe.
 */
public final class ConsultationLedger {

  /** The answer to {@link #tryAcquire(int, DiagnosisKind)}. */
  public enum Decision {
    /** Go ahead; the call is counted. */
    GRANTED,
    /** The study's call cap is reached. */
    CAP_REACHED,
    /** This trial was already consulted for this diagnosis kind. */
    ALREADY_CONSULTED
  }

  private record Key(int trial, DiagnosisKind kind) {}

  private final int maxCalls;
  private final Set<Key> consulted = new HashSet<>();
  private int calls;

  /**
   * @param maxCalls most calls for the study, >= 0
   */
  public ConsultationLedger(int maxCalls) {
    if (maxCalls < 0) {
      throw new IllegalArgumentException("maxCalls must be >= 0; got " + maxCalls);
    }
    this.maxCalls = maxCalls;
  }

  /**
   * Records a call if allowed.
   *
   * @param trial trial number
   * @param kind diagnosis kind
   * @return whether the call may go ahead, and why not
   */
  public synchronized Decision tryAcquire(int trial, DiagnosisKind kind) {
    Key key = new Key(trial, Objects.requireNonNull(kind, "kind"));
    if (consulted.contains(key)) {
      return Decision.ALREADY_CONSULTED;
    }
    if (calls >= maxCalls) {
      return Decision.CAP_REACHED;
    }
    consulted.add(key);
    calls++;
    return Decision.GRANTED;
  }

  /**
   * @return calls granted so far
   */
  public synchronized int callsMade() {
    return calls;
  }

  /**
   * @return the cap
   */
  public int maxCalls() {
    return maxCalls;
  }
}
