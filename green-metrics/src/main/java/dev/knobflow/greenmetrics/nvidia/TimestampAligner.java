package dev.knobflow.greenmetrics.nvidia;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Maps nvidia-smi's wall-clock timestamps onto the JVM's monotonic clock.
 *
 * <p>Why not simply the receive time: nvidia-smi may write through a buffered pipe, so lines can
 * arrive late and in bursts; the timestamp says when the reading was taken. Why not the timestamp
 * alone: it is local wall-clock time with millisecond resolution and can jump (NTP steps, DST). The
 * aligner therefore keeps the smallest observed {@code receive - timestamp} offset (the reading
 * with the least delivery delay) and maps each timestamp with it, so a mapped time is never later
 * than its receive time. When a line's delay exceeds the best offset by more than {@code
 * resetAfterNanos} the wall clock is taken to have jumped and the offset is re-learned.
 */
public final class TimestampAligner {

  private final long resetAfterNanos;
  private long offset;
  private boolean known;

  /** An aligner that re-learns its offset after an apparent jump larger than the given bound. */
  public TimestampAligner(long resetAfterNanos) {
    if (resetAfterNanos <= 0) {
      throw new IllegalArgumentException("resetAfterNanos must be > 0");
    }
    this.resetAfterNanos = resetAfterNanos;
  }

  /**
   * The monotonic time of a reading stamped {@code timestamp} and received at {@code receiveNanos};
   * the receive time itself when the timestamp is null.
   */
  public synchronized long align(LocalDateTime timestamp, long receiveNanos) {
    if (timestamp == null) {
      return receiveNanos;
    }
    // The zone does not matter: any constant shift is absorbed by the offset.
    long wall = timestamp.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + timestamp.getNano();
    long delay = receiveNanos - wall;
    if (!known || delay < offset || delay - offset > resetAfterNanos) {
      offset = delay;
      known = true;
    }
    return wall + offset;
  }
}
