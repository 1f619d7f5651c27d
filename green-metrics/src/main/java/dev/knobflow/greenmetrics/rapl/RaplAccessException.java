package dev.knobflow.greenmetrics.rapl;

import dev.knobflow.greenmetrics.power.PowerSourceException;

/** The RAPL energy counters exist but this process may not read them. */
public final class RaplAccessException extends PowerSourceException {

  private static final long serialVersionUID = 1L;

  RaplAccessException(String file, Throwable cause) {
    super(
        "Intel RAPL: permission denied reading "
            + file
            + ". Since CVE-2020-8694 the energy_uj counters are readable only by root on many"
            + " kernels. Grant read access until the next reboot with\n"
            + "  sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj\n"
            + "or permanently with a udev rule, e.g. in /etc/udev/rules.d/99-rapl.rules:\n"
            + "  SUBSYSTEM==\"powercap\", ACTION==\"add\", RUN+=\"/bin/chmod a+r"
            + " /sys%p/energy_uj\"\n"
            + "(or run the trials in a group allowed to read them).",
        cause);
  }
}
