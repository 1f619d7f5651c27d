package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.time.Clock;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how a tune is going. On a terminal: one line per finished trial above a status line (a bar,
 * trials done, the best value, elapsed time and an estimate of the time left); log lines go above
 * the status line too, and it is cleared before the summary. Plain lines otherwise.
 */
interface TuneProgress extends StudyListener, AutoCloseable {

  @Override
  void close();

  /**
   * What {@code tune}, {@code resume} and {@code worker} show: on a terminal the status line, with
   * per-trial lines above it unless {@code --quiet}; elsewhere one line per trial, or nothing with
   * {@code --quiet}.
   *
   * @param total the trials this run aims for ({@code Integer.MAX_VALUE} when unknown)
   */
  static TuneProgress of(OutputOptions output, StudyConfig config, long total, PrintWriter out) {
    if (System.console() == null) {
      return output.quiet ? silent() : lines(out, total);
    }
    ProgressEstimate estimate =
        new ProgressEstimate(total, maxBudget(config), config.timeout(), Clock.SYSTEM);
    return terminal(TerminalScreen.onStandardStreams(), config.name(), estimate, !output.quiet);
  }

  /** Nothing at all. */
  static TuneProgress silent() {
    return () -> {};
  }

  /** One line per finished trial. */
  static TuneProgress lines(PrintWriter out, long total) {
    return new Lines(out, total);
  }

  /**
   * The terminal display on {@code screen}; with {@code trialLines} false, the status line alone.
   * The status line is drawn again every second (elapsed time and estimate) until closed.
   */
  static TuneProgress terminal(
      TerminalScreen screen, String study, ProgressEstimate estimate, boolean trialLines) {
    return new Terminal(screen, study, estimate, trialLines, true);
  }

  /** The largest budget of a multi-fidelity scheduler, for the estimate of the time left. */
  private static OptionalDouble maxBudget(StudyConfig config) {
    Object max = config.scheduler().settings().get("max_budget");
    return max instanceof Number n && n.doubleValue() > 0
        ? OptionalDouble.of(n.doubleValue())
        : OptionalDouble.empty();
  }

  /** The best value of a single-objective study, or the Pareto front size, as a short text. */
  static String standing(StudyView study) {
    List<Objective> objectives = study.objectives();
    if (objectives.size() == 1) {
      Direction d = objectives.get(0).direction();
      double best = Double.NaN;
      for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE))) {
        if (t.isFeasible() && (Double.isNaN(best) || d.isBetter(t.value(), best))) {
          best = t.value();
        }
      }
      return Double.isNaN(best)
          ? ""
          : "best " + objectives.get(0).name() + "=" + Formats.number(best);
    }
    if (study instanceof Study s) {
      return "pareto " + s.paretoFront().size();
    }
    return "";
  }

  /**
   * The line for a finished trial: {@code [done/total] trial N STATE values in time | params | best
   * so far}.
   */
  static String trialLine(StudyView study, FrozenTrial trial, int done, long total) {
    StringBuilder sb = new StringBuilder();
    sb.append('[').append(done);
    if (total > 0 && total < Integer.MAX_VALUE) {
      sb.append('/').append(total);
    }
    sb.append("] trial ").append(trial.number()).append(' ').append(trial.state());
    if (trial.state() == TrialState.COMPLETE) {
      List<Objective> objectives = study.objectives();
      for (int i = 0; i < objectives.size() && i < trial.values().size(); i++) {
        sb.append(' ')
            .append(objectives.get(i).name())
            .append('=')
            .append(Formats.number(trial.values().get(i)));
      }
      if (!trial.isFeasible()) {
        sb.append(" (infeasible)");
      }
    } else if (trial.failReason() != null) {
      sb.append(": ").append(trial.failReason());
    }
    trial.duration().ifPresent(d -> sb.append(" in ").append(Formats.duration(d)));
    sb.append(" | ").append(Formats.assignments(trial.params()));
    String standing = standing(study);
    if (!standing.isEmpty()) {
      sb.append(" | ").append(standing);
    }
    return sb.toString();
  }

  /** Plain log lines, for pipes and files. */
  final class Lines implements TuneProgress {
    private final PrintWriter out;
    private final long total;
    private int done;

    Lines(PrintWriter out, long total) {
      this.out = out;
      this.total = total;
    }

    @Override
    public synchronized void trialFinished(StudyView study, FrozenTrial trial) {
      done++;
      out.println(trialLine(study, trial, done, total));
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** Per-trial lines above a status line that is redrawn in place. */
  final class Terminal implements TuneProgress {
    private static final int BAR_WIDTH = 20;

    private final TerminalScreen screen;
    private final String study;
    private final ProgressEstimate estimate;
    private final boolean trialLines;
    private final boolean tick;
    private ScheduledExecutorService ticker;
    private String standing = "";
    private boolean closed;

    Terminal(
        TerminalScreen screen,
        String study,
        ProgressEstimate estimate,
        boolean trialLines,
        boolean tick) {
      this.screen = screen;
      this.study = study;
      this.estimate = estimate;
      this.trialLines = trialLines;
      this.tick = tick;
    }

    @Override
    public synchronized void trialStarted(StudyView view, FrozenTrial trial) {
      estimate.started(trial.number());
      if (tick && ticker == null && !closed) {
        ticker =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "knobflow-progress");
                  t.setDaemon(true);
                  return t;
                });
        ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
      }
      redraw();
    }

    @Override
    public void intermediateValueReported(
        StudyView view, FrozenTrial trial, long step, List<Double> values) {
      estimate.reported(trial.number(), step);
    }

    @Override
    public synchronized void trialFinished(StudyView view, FrozenTrial trial) {
      estimate.finished(trial.number());
      standing = standing(view);
      if (trialLines && !closed) {
        screen.println(trialLine(view, trial, estimate.done(), estimate.total().orElse(-1L)));
      }
      redraw();
    }

    /** Draws the status line from the estimate now. */
    synchronized void redraw() {
      if (closed) {
        return;
      }
      screen.status(statusLine());
    }

    /** {@code study [=====> ] 12/50 trials, 2 running | best loss=0.1 | 1m elapsed, 3m left}. */
    synchronized String statusLine() {
      StringBuilder sb = new StringBuilder(study).append(' ');
      OptionalDouble fraction = estimate.fraction();
      if (fraction.isPresent()) {
        int filled = (int) Math.floor(fraction.getAsDouble() * BAR_WIDTH);
        sb.append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
          sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        sb.append("] ");
      }
      sb.append(estimate.done());
      estimate.total().ifPresent(t -> sb.append('/').append(t));
      sb.append(" trials");
      int running = estimate.running();
      if (running > 0) {
        sb.append(", ").append(running).append(" running");
      }
      if (!standing.isEmpty()) {
        sb.append(" | ").append(standing);
      }
      sb.append(" | ").append(Formats.duration(estimate.elapsed())).append(" elapsed");
      if (fraction.isEmpty() || fraction.getAsDouble() < 1) {
        estimate
            .remaining()
            .ifPresent(r -> sb.append(", about ").append(Formats.duration(r)).append(" left"));
      }
      return sb.toString();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (ticker != null) {
        ticker.shutdownNow();
      }
      screen.close();
    }
  }
}
