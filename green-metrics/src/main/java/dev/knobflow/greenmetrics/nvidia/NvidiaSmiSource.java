package dev.knobflow.greenmetrics.nvidia;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.NanoClock;
import dev.knobflow.greenmetrics.power.PowerSample;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import dev.knobflow.greenmetrics.power.SampleListener;
import dev.knobflow.greenmetrics.power.SampleStore;
import dev.knobflow.greenmetrics.power.SampleStores;
import dev.knobflow.greenmetrics.power.Subscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU power from one long-running {@code nvidia-smi --query-gpu=... -lms N} process.
 *
 * <p>{@link #start()} first probes which fields the driver accepts (dropping {@code
 * power.draw.instant} when the driver rejects it), selects the GPUs, then starts a single reader
 * thread that runs nvidia-smi, parses each row and stores a sample per GPU. One instance serves all
 * concurrent trials of the JVM. A dying nvidia-smi is restarted with exponential backoff; after
 * {@link NvidiaSmiConfig#maxConsecutiveRestarts()} failures in a row without a single valid row the
 * source gives up and {@link #failure()} says why. Malformed lines are counted and logged
 * (rate-limited), never fatal.
 *
 * <p>Timestamps: samples are placed on the JVM's monotonic clock by {@link TimestampAligner}, which
 * maps nvidia-smi's own timestamp column with the smallest observed delivery delay, so buffering in
 * the pipe does not smear the timeline and wall-clock jumps are absorbed.
 */
public final class NvidiaSmiSource implements PowerSource {

  private static final Logger LOG = LoggerFactory.getLogger(NvidiaSmiSource.class);
  private static final String FORMAT = "--format=csv,noheader,nounits";
  private static final int LOGGED_GARBAGE_LINES = 5;

  /**
   * How long a freshly started sampler may take to print its first row before it counts as hung.
   */
  static final Duration STARTUP_GRACE = Duration.ofSeconds(30);

  private final NvidiaSmiConfig config;
  private final Object lock = new Object();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong garbageLines = new AtomicLong();
  private final AtomicLong rowsWithoutPower = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final TimestampAligner aligner;

  private volatile SampleStores stores;
  private volatile Map<String, SampleStore> storeByUuid = Map.of();
  private volatile boolean instantSupported;
  private volatile String failure;
  private volatile boolean closing;
  private volatile long lastRowSystemNanos;
  private volatile boolean runHasRow;
  private final AtomicLong stalls = new AtomicLong();
  private ScheduledExecutorService watchdog;
  private NvidiaSmiCsv csv;
  private Process process;
  private Thread reader;

  private NvidiaSmiSource(NvidiaSmiConfig config) {
    this.config = config;
    long reset = Math.max(Duration.ofSeconds(1).toNanos(), config.interval().toNanos() * 10);
    this.aligner = new TimestampAligner(reset);
  }

  /** A source with the given settings; call {@link #start()} before use. */
  public static NvidiaSmiSource create(NvidiaSmiConfig config) {
    return new NvidiaSmiSource(config);
  }

  @Override
  public String name() {
    return "nvidia-smi";
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (closing) {
        throw new IllegalStateException("nvidia-smi source is closed");
      }
      if (reader != null) {
        return;
      }
      List<GpuInfo> gpus = probe();
      List<GpuInfo> selected;
      try {
        selected =
            GpuSelector.select(
                gpus,
                config.gpus(),
                config.environment().get(GpuSelector.CUDA_VISIBLE_DEVICES),
                this::migParents);
      } catch (IllegalArgumentException e) {
        throw new PowerSourceException("nvidia-smi: " + e.getMessage(), e);
      }
      List<Device> devices = new ArrayList<>();
      for (GpuInfo g : selected) {
        devices.add(Device.gpu(g.index(), g.uuid(), g.name()));
      }
      stores = SampleStores.of(name(), devices, config.interval(), config.retention());
      Map<String, SampleStore> byUuid = new HashMap<>();
      for (Device d : devices) {
        byUuid.put(d.uuid(), stores.get(d));
      }
      storeByUuid = byUuid;
      List<String> fields = new ArrayList<>();
      fields.add(NvidiaSmiCsv.TIMESTAMP);
      fields.add(NvidiaSmiCsv.INDEX);
      fields.add(NvidiaSmiCsv.UUID);
      fields.add(NvidiaSmiCsv.POWER_DRAW);
      if (instantSupported) {
        fields.add(NvidiaSmiCsv.POWER_DRAW_INSTANT);
      }
      fields.add(NvidiaSmiCsv.UTILIZATION_GPU);
      fields.add(NvidiaSmiCsv.MEMORY_USED);
      csv = new NvidiaSmiCsv(fields);
      if (!instantSupported) {
        LOG.info(
            "nvidia-smi: this driver has no power.draw.instant; using power.draw, which is a 1 s"
                + " average on Ampere and later GPUs");
      }
      reader = new Thread(this::readLoop, "knobflow-nvidia-smi-reader");
      reader.setDaemon(true);
      reader.start();
      watchdog =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "knobflow-nvidia-smi-watchdog");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(1, config.stallTimeout().toMillis() / 4);
      watchdog.scheduleWithFixedDelay(this::killIfStalled, period, period, TimeUnit.MILLISECONDS);
      LOG.info("nvidia-smi: sampling {} every {} ms", selected, config.interval().toMillis());
    }
  }

  /** The command line of the long-running sampler (valid after {@link #start()}). */
  public List<String> samplerCommand() {
    return List.of(
        config.executable(),
        "--query-gpu=" + String.join(",", csv.fields()),
        FORMAT,
        "-lms",
        Long.toString(config.interval().toMillis()));
  }

  private List<GpuInfo> probe() {
    List<String> fields =
        new ArrayList<>(
            List.of(
                NvidiaSmiCsv.INDEX,
                NvidiaSmiCsv.UUID,
                NvidiaSmiCsv.NAME,
                NvidiaSmiCsv.POWER_DRAW,
                NvidiaSmiCsv.POWER_DRAW_INSTANT));
    CommandRunner.Result result = runProbe(fields);
    instantSupported = true;
    if (result.exitCode() != 0 && rejectsField(result, NvidiaSmiCsv.POWER_DRAW_INSTANT)) {
      instantSupported = false;
      fields.remove(NvidiaSmiCsv.POWER_DRAW_INSTANT);
      result = runProbe(fields);
    }
    if (result.exitCode() != 0) {
      throw new PowerSourceException(
          "nvidia-smi probe failed (exit code "
              + result.exitCode()
              + "): "
              + abbreviate(result.joined()));
    }
    List<GpuInfo> gpus = new ArrayList<>();
    for (String line : result.lines()) {
      List<String> cells = NvidiaSmiCsv.split(line);
      if (line.isBlank()) {
        continue;
      }
      if (cells.size() != fields.size() || !cells.get(0).matches("\\d+")) {
        LOG.warn("nvidia-smi probe: ignoring unexpected line '{}'", abbreviate(line));
        continue;
      }
      GpuInfo gpu = new GpuInfo(Integer.parseInt(cells.get(0)), cells.get(1), cells.get(2));
      boolean noPower = cells.subList(3, cells.size()).stream().allMatch(NvidiaSmiCsv::isAbsent);
      if (noPower) {
        LOG.warn("nvidia-smi: GPU {} reports no power reading; its energy will be uncovered", gpu);
      }
      gpus.add(gpu);
    }
    if (gpus.isEmpty()) {
      throw new PowerSourceException(
          "nvidia-smi ran but listed no GPU; output: " + abbreviate(result.joined()));
    }
    return gpus;
  }

  private CommandRunner.Result runProbe(List<String> fields) {
    List<String> command =
        List.of(config.executable(), "--query-gpu=" + String.join(",", fields), FORMAT);
    try {
      return CommandRunner.run(command, config.probeTimeout());
    } catch (IOException e) {
      throw new PowerSourceException(
          "nvidia-smi could not be run as '"
              + config.executable()
              + "' ("
              + e.getMessage()
              + "); install the NVIDIA driver utilities or configure the executable path",
          e);
    }
  }

  private static boolean rejectsField(CommandRunner.Result result, String field) {
    String out = result.joined();
    return out.contains("\"" + field + "\"") && out.contains("is not a valid field");
  }

  private Map<String, String> migParents() {
    try {
      CommandRunner.Result list =
          CommandRunner.run(List.of(config.executable(), "-L"), config.probeTimeout());
      return GpuSelector.parseMigParents(list.lines());
    } catch (IOException e) {
      LOG.warn("nvidia-smi -L failed; MIG UUIDs cannot be resolved: {}", e.getMessage());
      return Map.of();
    }
  }

  private void readLoop() {
    int consecutiveFailures = 0;
    while (!closing) {
      boolean gotRow = false;
      String exitInfo;
      try {
        Process p = launch();
        if (p == null) {
          return;
        }
        gotRow = pump(p);
        exitInfo =
            "exit code "
                + (p.waitFor(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS)
                    ? Integer.toString(p.exitValue())
                    : "unknown (still running)");
        p.destroy();
      } catch (IOException e) {
        exitInfo = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (closing) {
        return;
      }
      consecutiveFailures = gotRow ? 1 : consecutiveFailures + 1;
      if (consecutiveFailures > config.maxConsecutiveRestarts()) {
        failure =
            "nvidia-smi sampler stopped "
                + consecutiveFailures
                + " times in a row without a valid row (last: "
                + exitInfo
                + "); giving up";
        LOG.error(failure);
        return;
      }
      long backoff =
          Math.min(
              config.maxBackoff().toMillis(),
              config.initialBackoff().toMillis() << Math.min(20, consecutiveFailures - 1));
      LOG.warn("nvidia-smi sampler ended ({}); restarting in {} ms", exitInfo, backoff);
      try {
        if (closed.await(backoff, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      restarts.incrementAndGet();
    }
  }

  private Process launch() throws IOException {
    synchronized (lock) {
      if (closing) {
        return null;
      }
      process = new ProcessBuilder(samplerCommand()).redirectErrorStream(true).start();
      lastRowSystemNanos = System.nanoTime();
      runHasRow = false;
      process.getOutputStream().close();
      return process;
    }
  }

  /** Reads the sampler's output until it ends; true when at least one valid row was seen. */
  private boolean pump(Process p) throws IOException {
    boolean gotRow = false;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (accept(line, config.clock().nanoTime())) {
          gotRow = true;
          runHasRow = true;
          lastRowSystemNanos = System.nanoTime();
        }
      }
    } catch (IOException e) {
      if (!closing) {
        throw e;
      }
    }
    return gotRow;
  }

  /** Handles one output line; true when it was a valid row. Package-private for the benchmark. */
  boolean accept(String line, long receiveNanos) {
    if (line.isBlank()) {
      return false;
    }
    GpuReading reading;
    try {
      reading = csv.parse(line);
    } catch (NvidiaSmiCsv.MalformedLineException e) {
      long n = garbageLines.incrementAndGet();
      if (n <= LOGGED_GARBAGE_LINES || n % 1000 == 0) {
        LOG.warn(
            "nvidia-smi: ignoring malformed line #{} ({}): '{}'",
            n,
            e.getMessage(),
            abbreviate(line));
      }
      return false;
    }
    SampleStore store = storeByUuid.get(reading.uuid());
    if (store == null) {
      return true; // a GPU that is not selected
    }
    OptionalDouble watts = reading.power();
    if (watts.isEmpty()) {
      rowsWithoutPower.incrementAndGet();
      return true;
    }
    store.append(
        new PowerSample(aligner.align(reading.timestamp(), receiveNanos), watts.getAsDouble()));
    return true;
  }

  /** Kills a sampler that is alive but silent, so the reader restarts it. */
  private void killIfStalled() {
    Process p;
    synchronized (lock) {
      p = process;
    }
    long silent = System.nanoTime() - lastRowSystemNanos;
    // A fresh process gets STARTUP_GRACE for its first row: nvidia-smi's driver initialisation
    // (and any process start on a loaded machine) can take longer than the stall limit between
    // rows, and killing it then would only restart the same slow start again.
    long limit =
        runHasRow
            ? config.stallTimeout().toNanos()
            : Math.max(config.stallTimeout().toNanos(), STARTUP_GRACE.toNanos());
    if (!closing && p != null && p.isAlive() && silent > limit) {
      stalls.incrementAndGet();
      LOG.warn(
          "nvidia-smi printed no valid row for {} ms; killing it to restart", silent / 1_000_000);
      p.destroyForcibly();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  /** Whether the driver accepted {@code power.draw.instant} (valid after {@link #start()}). */
  public boolean instantPowerSupported() {
    return instantSupported;
  }

  /** How many times nvidia-smi has been restarted after dying. */
  public long restartCount() {
    return restarts.get();
  }

  /** How many times a silent nvidia-smi was killed by the watchdog. */
  public long stallCount() {
    return stalls.get();
  }

  /** How many output lines could not be parsed. */
  public long garbageLineCount() {
    return garbageLines.get();
  }

  /** How many rows of selected GPUs had neither power value (absent, not zero). */
  public long rowsWithoutPowerCount() {
    return rowsWithoutPower.get();
  }

  /** Why the sampler gave up, if it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public List<Device> devices() {
    return requireStarted().devices();
  }

  @Override
  public Duration samplingInterval() {
    return config.interval();
  }

  @Override
  public NanoClock clock() {
    return config.clock();
  }

  @Override
  public List<PowerSample> samples(Device device, long fromNanos, long toNanos) {
    return requireStarted().get(device).samples(fromNanos, toNanos);
  }

  @Override
  public Subscription subscribe(Device device, SampleListener listener) {
    return requireStarted().get(device).subscribe(listener);
  }

  private SampleStores requireStarted() {
    SampleStores s = stores;
    if (s == null) {
      throw new IllegalStateException("nvidia-smi source is not started; call start() first");
    }
    return s;
  }

  /** Stops nvidia-smi (terminate, then kill after the grace period) and the reader thread. */
  @Override
  public void close() {
    Process p;
    Thread t;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      closed.countDown();
      p = process;
      t = reader;
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    }
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("nvidia-smi did not exit within {}; killing it", config.stopGrace());
          p.destroyForcibly().waitFor(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (t != null) {
      try {
        t.join(config.stopGrace().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the nvidia-smi process is currently alive. */
  public boolean isSamplerAlive() {
    synchronized (lock) {
      return process != null && process.isAlive();
    }
  }
}
