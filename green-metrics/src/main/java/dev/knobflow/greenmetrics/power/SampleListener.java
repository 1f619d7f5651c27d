package dev.knobflow.greenmetrics.power;

/**
 * Receives the samples of one device in time order. Called on the source's reader thread while the
 * device's store is locked, so implementations must be quick and must not block.
 */
@FunctionalInterface
public interface SampleListener {
  void onSample(PowerSample sample);
}
