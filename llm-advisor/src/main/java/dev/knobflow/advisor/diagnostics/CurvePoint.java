package dev.knobflow.advisor.diagnostics;

/**
 * One intermediate value of a trial.
 *
 * @param step the step (epoch, iteration or budget) at which it was reported
 * @param value the reported value; may be NaN or infinite when training broke
 */
public record CurvePoint(long step, double value) {}
