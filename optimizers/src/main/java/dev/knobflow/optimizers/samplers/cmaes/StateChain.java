package dev.knobflow.optimizers.samplers.cmaes;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds one study's CMA-ES distribution from its trials: the initial (possibly warm-started)
 * distribution, then one update per generation whose first {@code lambda} members completed, with
 * IPOP restarts in between. The states after each generation are kept as a memo keyed by a
 * fingerprint of the generation's members (numbers and values), so a new trial replays only what
 * changed; a state is never mutated after it was memoised.
 */
final class StateChain {

  /** A distribution with its restart index and the trials that warm-started restart 0. */
  record State(CmaEs cma, int restart, List<Integer> warmStart) {}

  private record Step(long fingerprint, State after) {}

  private record Generation(int restart, int generation) {}

  private final List<PriorObservation> priors;
  private long warmFingerprint;
  private State initial;
  private final List<Step> steps = new ArrayList<>();

  StateChain(List<PriorObservation> priors) {
    this.priors = priors;
  }

  /** The distribution the next trial of {@code study} is sampled from. */
  synchronized State current(StudyView study, UnitLayout layout, CmaEsSampler sampler) {
    List<FrozenTrial> all = study.trials();
    Direction direction = study.objectives().get(0).direction();
    List<Integer> warmNumbers = warmStartNumbers(all, layout, sampler);
    List<WarmStart.Point> warmPoints = warmPoints(all, warmNumbers, layout, direction);
    long fp = 17;
    for (WarmStart.Point p : warmPoints) {
      fp = Seeds.mix(fp, Double.doubleToLongBits(p.value()));
      for (double v : p.x()) {
        fp = Seeds.mix(fp, Double.doubleToLongBits(v));
      }
    }
    if (initial == null || fp != warmFingerprint) {
      WarmStart.Estimate warm = warmPoints.isEmpty() ? null : WarmStart.estimate(warmPoints);
      initial = new State(sampler.initial(layout, 0, warm), 0, warmNumbers);
      warmFingerprint = fp;
      steps.clear();
    }
    Map<Generation, List<FrozenTrial>> generations = generations(all, layout.dimension());
    State state = initial;
    for (int i = 0; ; i++) {
      int lambda = state.cma().populationSize();
      List<FrozenTrial> members =
          generations.get(new Generation(state.restart(), state.cma().generation()));
      if (members == null || members.size() < lambda) {
        return state;
      }
      members = members.subList(0, lambda);
      long memberFp = state.restart();
      for (FrozenTrial t : members) {
        memberFp = Seeds.mix(Seeds.mix(memberFp, t.number()), Double.doubleToLongBits(t.value()));
      }
      if (i < steps.size() && steps.get(i).fingerprint() == memberFp) {
        state = steps.get(i).after();
        continue;
      }
      while (steps.size() > i) {
        steps.remove(steps.size() - 1);
      }
      state = next(state, members, layout, direction, sampler);
      steps.add(new Step(memberFp, state));
    }
  }

  private static State next(
      State state,
      List<FrozenTrial> members,
      UnitLayout layout,
      Direction direction,
      CmaEsSampler sampler) {
    CmaEs cma = state.cma().copy();
    List<CmaEs.Solution> solutions = new ArrayList<>(members.size());
    for (FrozenTrial t : members) {
      double[] raw = raw(t);
      double[] x = layout.reconcile(raw, cma.encode(raw), t.params());
      solutions.add(new CmaEs.Solution(x, direction.toMinimization(t.value())));
    }
    cma.tell(solutions);
    if (sampler.restarts() && cma.shouldStop()) {
      int restart = state.restart() + 1;
      return new State(sampler.initial(layout, restart, null), restart, state.warmStart());
    }
    return new State(cma, state.restart(), state.warmStart());
  }

  /** Completed CMA-ES trials by (restart, generation), in number order. */
  private static Map<Generation, List<FrozenTrial>> generations(List<FrozenTrial> all, int n) {
    Map<Generation, List<FrozenTrial>> out = new HashMap<>();
    for (FrozenTrial t : all) {
      if (t.state() != TrialState.COMPLETE
          || t.values().size() != 1
          || !Double.isFinite(t.value())
          || !(t.systemAttrs().get(CmaEsSampler.RESTART_ATTR) instanceof Number r)
          || !(t.systemAttrs().get(CmaEsSampler.GENERATION_ATTR) instanceof Number g)
          || !(t.systemAttrs().get(CmaEsSampler.X_ATTR) instanceof List<?> x)
          || x.size() != n) {
        continue;
      }
      out.computeIfAbsent(new Generation(r.intValue(), g.intValue()), k -> new ArrayList<>())
          .add(t);
    }
    return out;
  }

  private static double[] raw(FrozenTrial t) {
    List<?> list = (List<?>) t.systemAttrs().get(CmaEsSampler.X_ATTR);
    double[] x = new double[list.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((Number) list.get(i)).doubleValue();
    }
    return x;
  }

  /**
   * The study trials that warm-start restart 0: as recorded on the first CMA-ES trial, or, before
   * there is one, the completed trials no CMA-ES generation claims.
   */
  private static List<Integer> warmStartNumbers(
      List<FrozenTrial> all, UnitLayout layout, CmaEsSampler sampler) {
    for (FrozenTrial t : all) {
      if (t.systemAttrs().get(CmaEsSampler.WARM_START_ATTR) instanceof List<?> list) {
        List<Integer> numbers = new ArrayList<>();
        for (Object o : list) {
          numbers.add(((Number) o).intValue());
        }
        return numbers;
      }
    }
    List<Integer> numbers = new ArrayList<>();
    if (!sampler.warmStartFromTrials()) {
      return numbers;
    }
    for (FrozenTrial t : all) {
      if (t.state() == TrialState.COMPLETE
          && t.values().size() == 1
          && Double.isFinite(t.value())
          && !t.systemAttrs().containsKey(CmaEsSampler.GENERATION_ATTR)
          && layout.encode(t.params()) != null) {
        numbers.add(t.number());
      }
    }
    return numbers;
  }

  private List<WarmStart.Point> warmPoints(
      List<FrozenTrial> all, List<Integer> numbers, UnitLayout layout, Direction direction) {
    List<WarmStart.Point> points = new ArrayList<>();
    for (FrozenTrial t : PriorObservation.asTrials(priors, layout.space(), 1)) {
      double[] x = layout.encode(t.params());
      if (x != null) {
        points.add(new WarmStart.Point(x, direction.toMinimization(t.value())));
      }
    }
    Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    for (FrozenTrial t : all) {
      byNumber.put(t.number(), t);
    }
    for (int number : numbers) {
      FrozenTrial t = byNumber.get(number);
      double[] x = t == null ? null : layout.encode(t.params());
      if (x != null && t.state() == TrialState.COMPLETE && t.values().size() == 1) {
        points.add(new WarmStart.Point(x, direction.toMinimization(t.value())));
      }
    }
    return points;
  }
}
