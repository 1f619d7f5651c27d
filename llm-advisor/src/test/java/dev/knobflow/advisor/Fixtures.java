package dev.knobflow.advisor;

import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.CurveDiagnostics;
import dev.knobflow.advisor.space.Direction;
import dev.knobflow.advisor.space.Objective;
import dev.knobflow.advisor.space.ParameterSpec.CategoricalParameter;
import dev.knobflow.advisor.space.ParameterSpec.FloatParameter;
import dev.knobflow.advisor.space.ParameterSpec.IntParameter;
import dev.knobflow.advisor.space.SearchSpace;
import java.util.List;

/** Shared test data: a typical MLP space and requests for each diagnosis. */
public final class Fixtures {

  private Fixtures() {}

  /** lr in [1e-5, 10] log, batch_size in [16, 512], optimizer in {adam, sgd}. */
  public static SearchSpace space() {
    return SearchSpace.of(
        new FloatParameter("lr", 1e-5, 10, true),
        new IntParameter("batch_size", 16, 512, false),
        new CategoricalParameter("optimizer", List.of("adam", "sgd")));
  }

  /** Builds a request for a loss curve with the given lr and batch size. */
  public static AdviceRequest request(double[] curve, double lr, long batch) {
    Curve c = Curve.ofValues(curve);
    return AdviceRequest.builder()
        .objective(Objective.of("val_loss", Direction.MINIMIZE))
        .space(space())
        .bestValue("val_loss", 0.2)
        .trialCount(12)
        .trialNumber(7)
        .param("lr", lr)
        .param("batch_size", batch)
        .param("optimizer", "adam")
        .curveLabel("val_loss")
        .curve(c)
        .diagnosis(CurveDiagnostics.withDefaults().diagnose(c, Direction.MINIMIZE))
        .build();
  }

  /** A loss that blows up (and keeps doing so past the diagnostics' grace period). */
  public static double[] diverging() {
    return new double[] {2.3, 1.9, 1.6, 1.5, 1.45, 1.4, 1.38, 2.5, 6, 20, 80, 400, 3000};
  }

  /** A loss swinging with period 2 around 1.0. */
  public static double[] oscillating() {
    double[] c = new double[24];
    for (int i = 0; i < c.length; i++) {
      c[i] = 1.0 + (i % 2 == 0 ? 0.2 : -0.2);
    }
    return c;
  }

  /** A loss that stalls at 0.9. */
  public static double[] plateau() {
    return new double[] {2.0, 1.5, 1.1, 0.95, 0.9, 0.9, 0.9, 0.9, 0.9};
  }

  /** A decaying loss. */
  public static double[] healthy() {
    double[] c = new double[20];
    for (int i = 0; i < c.length; i++) {
      c[i] = 2.0 * Math.exp(-0.15 * i) + 0.1;
    }
    return c;
  }
}
