package dev.knobflow.greenmetrics.power;

/** What kind of hardware a {@link Device} is. */
public enum DeviceKind {
  /** A GPU (whole board; MIG instances are metered through their parent GPU). */
  GPU,
  /** A CPU package (socket), as RAPL reports it. */
  CPU
}
