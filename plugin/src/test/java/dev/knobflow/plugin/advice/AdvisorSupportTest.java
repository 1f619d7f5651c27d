package dev.knobflow.plugin.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.Advisor;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.rules.RuleBasedAdvisor;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.SpaceOverride;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisorSupportTest {

  @TempDir Path temp;

  /** Counts what it is asked, then lets the rules answer. */
  private static final class CountingAdvisor implements Advisor {
    final List<AdviceRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Advisor rules = RuleBasedAdvisor.withDefaults();

    @Override
    public Advice advise(AdviceRequest request) {
      requests.add(request);
      return rules.advise(request);
    }
  }

  private static double lr(FrozenTrial t) {
    return ((Number) t.params().get("lr")).doubleValue();
  }

  @Test
  void aDivergingTrialIsConsultedOnceAndNothingIsAppliedInReportMode() {
    CountingAdvisor counting = new CountingAdvisor();
    AdvisorSupport advisor =
        AdvisorSupport.builder().mode(AdvisorMode.REPORT).advisor(counting).build();
    Study study = Study.builder("report").listener(advisor).build();
    study.enqueue(java.util.Map.of("lr", 5.0));
    study.enqueue(java.util.Map.of("lr", 0.01));
    study.optimize(new DivergingObjective(), OptimizeOptions.trials(2));

    List<String> consulted =
        counting.requests.stream().map(r -> r.trialNumber() + ":" + r.diagnosis().kind()).toList();
    assertEquals(consulted.stream().distinct().toList(), consulted, "once per trial and kind");
    assertEquals(
        List.of("0:DIVERGING"),
        consulted.stream().filter(c -> c.startsWith("0:")).toList(),
        "20 diverging steps, one consultation");
    AdviceRequest asked = counting.requests.get(0);
    assertEquals(0, asked.trialNumber());
    assertEquals(DiagnosisKind.DIVERGING, asked.diagnosis().kind());
    assertEquals(5.0, ((Number) asked.params().get("lr")).doubleValue());
    assertEquals("value", asked.curveLabel());
    assertTrue(asked.space().find("lr").isPresent(), "define-by-run parameter mapped");
    assertEquals(TrialState.COMPLETE, study.trials().get(0).state(), "report mode never prunes");
    assertTrue(study.spaceOverrides().isEmpty());
    assertTrue(
        advisor.reports().get(0).applied().stream().allMatch(a -> a.contains("report mode")),
        advisor.reports().get(0).applied().toString());
  }

  @Test
  void applyModePrunesWithTheReasonAndLaterTrialsStayUnderTheCapForEverySampler() {
    for (Sampler sampler : List.of(RandomSampler.seeded(11), SobolSampler.seeded(11))) {
      AdvisorSupport advisor = AdvisorSupport.builder().mode(AdvisorMode.APPLY).build();
      Study study =
          Study.builder("apply-" + sampler.describe()).sampler(sampler).listener(advisor).build();
      study.enqueue(java.util.Map.of("lr", 8.0));
      study.optimize(new DivergingObjective(), OptimizeOptions.trials(40));

      FrozenTrial first = study.trials().get(0);
      assertEquals(TrialState.PRUNED, first.state(), sampler.describe());
      assertTrue(
          first.failReason().startsWith("pruned at step ")
              && first.failReason().contains("advisor: DIVERGING"),
          first.failReason());
      assertTrue(first.intermediateValues().size() < DivergingObjective.STEPS);
      // The first cap is lr / 3 (the rules); later divergences under it only tighten it.
      double firstCap = 8.0 / 3;
      SpaceOverride cap = study.spaceOverrides().get("lr").orElseThrow();
      assertTrue(cap.high() <= firstCap + 1e-9, "rules: high := lr / 3, got " + cap.high());
      int causedBy = ((Number) cap.cause().get("trial")).intValue();
      for (FrozenTrial t : study.trials().subList(1, 40)) {
        assertTrue(lr(t) <= firstCap, sampler.describe() + " trial " + t.number() + " " + lr(t));
      }
      for (FrozenTrial t : study.trials().subList(causedBy + 1, 40)) {
        assertTrue(
            lr(t) >= cap.low() && lr(t) <= cap.high(),
            sampler.describe() + " trial " + t.number() + " " + lr(t));
      }
      // Trials that learn (lr <= 1) are never called diverging; the slowest may be stopped by
      // median stopping once five trials have completed, as UNDERPERFORMING.
      for (FrozenTrial t : study.trials().stream().skip(1).filter(t -> lr(t) <= 1).toList()) {
        assertTrue(
            t.state() == TrialState.COMPLETE || t.failReason().contains("advisor: UNDERPERFORMING"),
            sampler.describe() + " trial " + t.number() + " " + t.failReason());
      }
    }
  }

  @Test
  void applyModeStopsATrialFarBehindTheCompletedOnesWithoutNarrowingTheSpace() {
    AdvisorSupport advisor = AdvisorSupport.builder().mode(AdvisorMode.APPLY).build();
    Study study = Study.builder("median").listener(advisor).build();
    for (int i = 0; i < 5; i++) {
      study.enqueue(java.util.Map.of("lr", 0.5)); // learns: loss 0.5 by step 5
    }
    study.enqueue(java.util.Map.of("lr", 1e-4)); // barely moves from 1.0
    study.enqueue(java.util.Map.of("lr", 0.4)); // a little slower than the first five
    study.optimize(new DivergingObjective(), OptimizeOptions.trials(7));

    for (FrozenTrial t : study.trials().subList(0, 5)) {
      assertEquals(TrialState.COMPLETE, t.state(), "fewer than 5 completed: nothing to compare");
    }
    FrozenTrial slow = study.trials().get(5);
    assertEquals(TrialState.PRUNED, slow.state());
    assertTrue(slow.failReason().contains("advisor: UNDERPERFORMING"), slow.failReason());
    // Warm-up 5 points, behind at 2 reports in a row: decided at the 5th report (step 4).
    assertEquals(4L, slow.intermediateValues().lastKey());
    assertEquals(TrialState.COMPLETE, study.trials().get(6).state(), "within the margin");
    List<List<String>> appliedOnUnderperforming =
        advisor.reports().stream()
            .filter(
                r -> r.consultation().request().diagnosis().kind() == DiagnosisKind.UNDERPERFORMING)
            .map(AdvisorReport::applied)
            .toList();
    assertEquals(
        List.of(List.of("trial 5 pruned at step 4")),
        appliedOnUnderperforming,
        "one consultation; the curve is fine, so no range is changed");
  }

  @Test
  void reportsAreWrittenPerConsultationWithAStudySummary() throws Exception {
    LocalReportSink sink = LocalReportSink.under(temp.resolve("reports"));
    AdvisorSupport advisor =
        AdvisorSupport.builder().mode(AdvisorMode.APPLY).reportTo(sink).build();
    Study study = Study.builder("files").listener(advisor).build();
    study.enqueue(java.util.Map.of("lr", 6.0));
    study.optimize(new DivergingObjective(), OptimizeOptions.trials(3));

    AdvisorReport report = advisor.reports().get(0);
    long step = report.consultation().step();
    Path md = temp.resolve("reports/advisor/trial-0-step-" + step + ".md");
    Path json = temp.resolve("reports/advisor/trial-0-step-" + step + ".json");
    String text = Files.readString(md);
    assertTrue(text.contains("DIVERGING"), text);
    assertTrue(text.contains("What Knobflow did (mode: apply)"), text);
    assertTrue(text.contains("trial 0 pruned at step " + step), text);
    assertTrue(Files.readString(json).contains("\"applied\""));
    String summary = Files.readString(temp.resolve("reports/advisor/summary.md"));
    assertTrue(summary.contains("0"), summary);
    try (Stream<Path> files = Files.list(temp.resolve("reports/advisor"))) {
      assertEquals(2 * advisor.reports().size() + 1, files.count());
    }
  }

  @Test
  void overridesSurviveAResumeOnTheJournalAndShowListsThem() {
    Path journal = temp.resolve("journal.jsonl");
    double cap;
    try (JournalStorage storage = JournalStorage.open(journal)) {
      AdvisorSupport advisor = AdvisorSupport.builder().mode(AdvisorMode.APPLY).build();
      Study study =
          Study.builder("resumed")
              .storage(storage)
              .sampler(RandomSampler.seeded(3))
              .listener(advisor)
              .build();
      study.enqueue(java.util.Map.of("lr", 9.0));
      study.optimize(new DivergingObjective(), OptimizeOptions.trials(1));
      cap = study.spaceOverrides().get("lr").orElseThrow().high();
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      // A later run without any advisor keeps sampling under the cap.
      Study study =
          Study.builder("resumed").storage(storage).sampler(RandomSampler.seeded(3)).build();
      ObjectiveFunction plain = ObjectiveFunction.scalar(t -> t.suggestFloat("lr", 1e-4, 10, true));
      study.optimize(plain, OptimizeOptions.trials(25));
      assertTrue(study.trials().stream().skip(1).allMatch(t -> lr(t) <= cap));
    }
    StringWriter out = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertEquals(0, cli.execute("show", "resumed", "--storage", "journal:" + journal));
    String shown = out.toString();
    assertTrue(shown.contains("Space overrides"), shown);
    assertTrue(shown.contains("lr in [1.0E-4, " + cap + "]"), shown);
    assertTrue(shown.contains("trial 0, step"), shown);
    assertFalse(shown.contains("space_overrides:"), "not printed twice as a raw attribute");
  }

  @Test
  void aNarrowingNeverExcludesTheBestTrialEvenAtTheEdgeOfTheRange() {
    // lr in (1, 9) diverges; lr >= 9 learns fastest, so the best trial sits at the top edge.
    ObjectiveFunction edgy =
        t -> {
          double lr = t.suggestFloat("lr", 1e-4, 10, true);
          double loss = 1.0;
          for (int step = 0; step < 20; step++) {
            loss = lr > 1 && lr < 9 ? loss * 1.5 : loss * (1 - 0.04 * lr) + 0.001;
            t.report(step, loss);
            if (t.shouldPrune()) {
              throw new dev.knobflow.optimizers.TrialPrunedException("pruned at step " + step);
            }
          }
          return dev.knobflow.optimizers.TrialResult.of(loss);
        };
    AdvisorSupport advisor = AdvisorSupport.builder().mode(AdvisorMode.APPLY).build();
    Study study = Study.builder("edge").sampler(RandomSampler.seeded(5)).listener(advisor).build();
    study.enqueue(java.util.Map.of("lr", 9.9));
    study.enqueue(java.util.Map.of("lr", 4.0));
    study.optimize(edgy, OptimizeOptions.trials(2));

    assertEquals(TrialState.PRUNED, study.trials().get(1).state());
    FrozenTrial best = study.bestTrial().orElseThrow();
    assertEquals(9.9, lr(best));
    SpaceOverride cap = study.spaceOverrides().get("lr").orElseThrow();
    // The rules ask for lr below 4 / 3; the best trial's 9.9 stays inside.
    assertTrue(cap.low() <= 9.9 && 9.9 <= cap.high(), cap.toString());
    assertEquals(9.9, cap.high(), 1e-12, "widened no further than needed");
    String applied =
        String.join("; ", advisor.reports().get(advisor.reports().size() - 1).applied());
    assertTrue(applied.contains("widened from [1.0E-4, 1.33"), applied);
  }
}
