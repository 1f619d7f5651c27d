package dev.knobflow.greenmetrics.power;

/** A registration of a {@link SampleListener}; closing it stops delivery. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
