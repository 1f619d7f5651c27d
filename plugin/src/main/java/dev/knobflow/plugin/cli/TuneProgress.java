package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows how a tune is going: a progress bar on a terminal, plain lines otherwise. */
interface TuneProgress extends StudyListener, AutoCloseable {

  @Override
  void close();

  /**
   * What {@code tune}, {@code resume} and {@code worker} show: nothing with {@code --quiet}, a bar
   * on a terminal, one line per trial otherwise.
   */
  static TuneProgress of(OutputOptions output, String study, long total, PrintWriter out) {
    if (output.quiet) {
      return silent();
    }
    if (System.console() != null) {
      return bar(System.out, study, total);
    }
    return lines(out, total);
  }

  /** Nothing at all (for {@code --quiet}). */
  static TuneProgress silent() {
    return () -> {};
  }

  /** One line per finished trial. */
  static TuneProgress lines(PrintWriter out, long total) {
    return new Lines(out, total);
  }

  /** A progress bar on {@code out}: trials done of total, best value or Pareto size, ETA. */
  static TuneProgress bar(PrintStream out, String study, long total) {
    return new Bar(out, study, total);
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
      out.println(sb);
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** The me.tongfei progress bar. */
  final class Bar implements TuneProgress {
    private final ProgressBar bar;

    Bar(PrintStream out, String study, long total) {
      boolean known = total > 0 && total < Integer.MAX_VALUE;
      this.bar =
          new ProgressBarBuilder()
              .setTaskName(study)
              .setInitialMax(known ? total : -1)
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" trials", 1)
              .setUpdateIntervalMillis(500)
              .setConsumer(new ConsoleProgressBarConsumer(out, width()))
              .build();
    }

    /**
     * The bar's width from {@code COLUMNS}, else 100. Given explicitly so that the progress bar
     * never opens a JLine terminal: JLine resets SIGINT to its default action, and Ctrl-C on a
     * terminal then killed the JVM without running the shutdown hook (no summary, trials left
     * RUNNING).
     */
    private static int width() {
      try {
        int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
        return columns >= 20 ? columns : 100;
      } catch (NumberFormatException e) {
        return 100;
      }
    }

    @Override
    public synchronized void trialFinished(StudyView study, FrozenTrial trial) {
      bar.step();
      bar.setExtraMessage(standing(study));
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
