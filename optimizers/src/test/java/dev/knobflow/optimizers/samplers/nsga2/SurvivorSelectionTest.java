package dev.knobflow.optimizers.samplers.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SurvivorSelectionTest {

  private static Candidate c(int number, double f1, double f2, double violation) {
    return new Candidate(number, List.of(f1, f2), violation, Map.of());
  }

  private static List<Integer> numbers(List<Candidate> cs) {
    return cs.stream().map(Candidate::number).toList();
  }

  @Test
  void dominatedCandidatesAreDroppedFirst() {
    List<Candidate> pool =
        List.of(c(0, 1, 5, 0), c(1, 2, 2, 0), c(2, 3, 3, 0), c(3, 5, 1, 0), c(4, 4, 4, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 3);
    assertEquals(List.of(0, 1, 3), numbers(survivors).stream().sorted().toList());
  }

  @Test
  void extremesOfAFrontWinOnCrowdingDistance() {
    List<Candidate> pool =
        List.of(c(0, 0, 10, 0), c(1, 5, 5, 0), c(2, 5.1, 4.9, 0), c(3, 10, 0, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 3);
    // The boundary points have infinite crowding distance and come first.
    assertEquals(List.of(0, 3), numbers(survivors.subList(0, 2)).stream().sorted().toList());
    assertEquals(3, survivors.size());
  }

  @Test
  void feasibleBeatInfeasibleAndLessViolationBeatsMore() {
    List<Candidate> pool =
        List.of(c(0, 0, 0, 3.0), c(1, 9, 9, 0), c(2, 0, 0, 0.5), c(3, 1, 1, 1.0), c(4, 8, 9, 0));
    List<Candidate> survivors = SurvivorSelection.select(pool, 5);
    assertEquals(List.of(4, 1, 2, 3, 0), numbers(survivors));
    assertEquals(List.of(4, 1, 2), numbers(SurvivorSelection.select(pool, 3)));
  }

  @Test
  void askingForMoreThanThePoolReturnsThePool() {
    assertEquals(2, SurvivorSelection.select(List.of(c(0, 1, 2, 0), c(1, 2, 1, 0)), 50).size());
    assertEquals(0, SurvivorSelection.select(List.of(), 50).size());
  }
}
