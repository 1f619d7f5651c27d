package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The population as the stored trials describe it: every segment's member and generation, which
 * segment continues which, and each member's latest segment. Derived in trial-number order, so
 * every worker agrees: when two segments claim to continue the same one, the lower-numbered claim
 * wins and the other is a spare. A segment whose worker stopped under it (failed as stale or
 * interrupted, {@link TrialTarget#abandoned}) is left out, so after a crash the member runs that
 * generation again from the same checkpoint.
 */
final class Population {

  /** A segment: one trial of one member at one generation. */
  record Segment(int member, int generation, FrozenTrial trial) {
    boolean finished() {
      return trial.state() == TrialState.COMPLETE
          || trial.state() == TrialState.PRUNED
          || trial.state() == TrialState.FAIL;
    }
  }

  private final Map<Integer, Segment> byNumber = new HashMap<>();
  private final TreeMap<Integer, List<Segment>> byMember = new TreeMap<>();
  private final Map<Integer, Integer> claimedBy = new HashMap<>();
  private final List<Integer> spares = new ArrayList<>();

  Population(List<FrozenTrial> trials) {
    for (FrozenTrial t : trials) {
      if (!(t.systemAttrs().get(PbtScheduler.MEMBER_ATTR) instanceof Number m)) {
        continue;
      }
      if (abandoned(t)) {
        // Its worker stopped under it (killed, interrupted): not part of the member's schedule,
        // and its claim is released, so the member runs that generation again from the same
        // checkpoint instead of treating a crash as a failed segment.
        continue;
      }
      if (t.systemAttrs().containsKey(PbtScheduler.SPARE_ATTR)) {
        spares.add(t.number());
        continue;
      }
      int generation =
          t.systemAttrs().get(PbtScheduler.GENERATION_ATTR) instanceof Number g ? g.intValue() : 0;
      if (t.systemAttrs().get(PbtScheduler.CLAIM_ATTR) instanceof Number c
          && claimedBy.putIfAbsent(c.intValue(), t.number()) != null) {
        spares.add(t.number());
        continue;
      }
      if (generation == 0 && memberStarted(m.intValue())) {
        spares.add(t.number()); // a second first segment of the same member lost its race
        continue;
      }
      Segment s = new Segment(m.intValue(), generation, t);
      byNumber.put(t.number(), s);
      byMember.computeIfAbsent(m.intValue(), k -> new ArrayList<>()).add(s);
    }
  }

  /** Whether the trial failed because its worker stopped under it (stale or interrupted). */
  static boolean abandoned(FrozenTrial t) {
    return t.state() == TrialState.FAIL && TrialTarget.abandoned(t.failReason());
  }

  private boolean memberStarted(int member) {
    return byMember.containsKey(member);
  }

  /** The segment of trial {@code number}, empty for spares and trials outside the population. */
  Optional<Segment> segment(int number) {
    return Optional.ofNullable(byNumber.get(number));
  }

  /** Whether trial {@code number} lost a claim race and does not count as a member's segment. */
  boolean isSpare(int number) {
    return spares.contains(number);
  }

  /** The members that have at least one segment. */
  List<Integer> members() {
    return new ArrayList<>(byMember.keySet());
  }

  /** The member's latest segment, if it has one. */
  Optional<Segment> latest(int member) {
    List<Segment> segments = byMember.get(member);
    return segments == null ? Optional.empty() : Optional.of(segments.get(segments.size() - 1));
  }

  /** Whether some segment already continues trial {@code number}. */
  boolean isContinued(int number) {
    return claimedBy.containsKey(number);
  }

  /** Every member's latest segment that has finished. */
  List<Segment> latestFinished() {
    List<Segment> out = new ArrayList<>();
    for (int member : byMember.keySet()) {
      Segment s = latest(member).orElseThrow();
      if (s.finished()) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Every member's latest finished segment (for a member that runs a segment now, the one before
   * it): the members' latest results.
   */
  List<Segment> latestResults() {
    List<Segment> out = new ArrayList<>();
    for (List<Segment> segments : byMember.values()) {
      for (int i = segments.size() - 1; i >= 0; i--) {
        if (segments.get(i).finished()) {
          out.add(segments.get(i));
          break;
        }
      }
    }
    return out;
  }

  /** The segments of one generation. */
  List<Segment> generation(int generation) {
    List<Segment> out = new ArrayList<>();
    for (List<Segment> segments : byMember.values()) {
      for (Segment s : segments) {
        if (s.generation() == generation) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The member's segments in generation order: its hyperparameter schedule. */
  List<Segment> history(int member) {
    return List.copyOf(byMember.getOrDefault(member, List.of()));
  }
}
