package dev.knobflow.mlflowrest;

import dev.knobflow.time.RetryPolicy;
import dev.knobflow.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffered, batched, retrying writer of metrics, params, tags and run terminations.
 *
 * <p>Logging calls only validate and enqueue; one background thread groups the buffered writes by
 * run (keeping each run's order), packs them into {@code log-batch} requests within {@link
 * MlflowLimits}, and sends them with {@link RetryPolicy} backoff on HTTP 429, 5xx and connection
 * errors.
 *
 * <p>Guarantees: while the server is away every write stays buffered and delivery resumes, in
 * order, once it is back. The buffer holds at most {@link WriterOptions#bufferCapacity()} writes;
 * when full, logging calls wait up to {@link WriterOptions#enqueueTimeout()} and then throw, so
 * memory stays bounded and nothing is dropped silently. Writes the server refuses for good (HTTP
 * 4xx) are isolated by splitting the request, recorded in {@link #failures()} and reported by the
 * next {@link #flush(Duration)}.
 *
 * <p>Thread-safe.
 */
public final class MlflowWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowWriter.class);
  private static final int MAX_SNAPSHOT = 20_000;

  private final BatchSink sink;
  private final MlflowConnection connection;
  private final WriterOptions options;
  private final BatchPlanner planner;
  private final Retrier retrier;
  private final Clock clock;
  private final Sleeper sleeper;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition progress = lock.newCondition();
  private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
  private int inFlight;
  private long acceptedSeq;
  private long completedSeq;
  private long flushRequestedSeq;
  private boolean closed;
  private volatile boolean abandoned;
  private volatile String lastTransientError;

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final List<DeliveryFailure> failures = new ArrayList<>();
  private int failuresReported;

  private final Thread sender;

  MlflowWriter(BatchSink sink, MlflowConnection connection, WriterOptions options, Clock clock) {
    this(sink, connection, options, clock, Sleeper.SYSTEM);
  }

  /** A writer whose backoff and redelivery pauses wait through {@code sleeper}. */
  MlflowWriter(
      BatchSink sink,
      MlflowConnection connection,
      WriterOptions options,
      Clock clock,
      Sleeper sleeper) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.planner = new BatchPlanner(options.limits());
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.retrier =
        new Retrier(
            options.retry(),
            connection,
            sleeper,
            () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    this.sender = new Thread(this::sendLoop, "knobflow-mlflow-writer");
    sender.setDaemon(true);
    sender.start();
  }

  /** Logs one metric point with the current time. */
  public void logMetric(String runId, String key, double value, long step) {
    logMetric(runId, key, value, clock.millis(), step);
  }

  /** Logs one metric point. */
  public void logMetric(String runId, String key, double value, long timestampMillis, long step) {
    enqueue(List.of(metric(runId, key, value, timestampMillis, step)));
  }

  /** Logs several metrics at one step and the current time. */
  public void logMetrics(String runId, Map<String, Double> values, long step) {
    long now = clock.millis();
    List<PendingWrite> writes = new ArrayList<>(values.size());
    values.forEach((k, v) -> writes.add(metric(runId, k, v, now, step)));
    enqueue(writes);
  }

  /** Logs a param; MLflow params are write-once, so a changed value is refused by the server. */
  public void logParam(String runId, String key, String value) {
    enqueue(List.of(param(runId, key, value)));
  }

  /** Logs several params. */
  public void logParams(String runId, Map<String, String> params) {
    List<PendingWrite> writes = new ArrayList<>(params.size());
    params.forEach((k, v) -> writes.add(param(runId, k, v)));
    enqueue(writes);
  }

  /** Sets a tag (last write wins). */
  public void setTag(String runId, String key, String value) {
    enqueue(List.of(tag(runId, key, value)));
  }

  /** Sets several tags. */
  public void setTags(String runId, Map<String, String> tags) {
    List<PendingWrite> writes = new ArrayList<>(tags.size());
    tags.forEach((k, v) -> writes.add(tag(runId, k, v)));
    enqueue(writes);
  }

  /** Sets the run's Markdown description ({@value MlflowTags#NOTE}). */
  public void setDescription(String runId, String markdown) {
    setTag(runId, MlflowTags.NOTE, markdown);
  }

  /** Ends the run with {@code outcome} now, after every write already made for it. */
  public void terminate(String runId, RunOutcome outcome) {
    requireRunId(runId);
    Objects.requireNonNull(outcome, "outcome");
    enqueue(List.of(new PendingWrite.Terminate(runId, outcome, clock.millis())));
  }

  /**
   * Blocks until every write made before this call is delivered or refused for good.
   *
   * @throws MlflowTrackingException when {@code timeout} passes first (saying how many writes are
   *     still buffered and why), or when the server refused writes since the last flush
   */
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      long target = acceptedSeq;
      flushRequestedSeq = Math.max(flushRequestedSeq, target);
      workAvailable.signalAll();
      while (completedSeq < target) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new MlflowTrackingException(
              connection.redact(
                  "Flush timed out after "
                      + timeout.toMillis()
                      + " ms with "
                      + (target - completedSeq)
                      + " tracking writes not yet delivered to "
                      + connection.trackingUri()
                      + "; they stay buffered"
                      + (lastTransientError == null ? "" : ". Last error: " + lastTransientError)),
              0,
              null,
              null);
        }
        progress.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlflowTrackingException("Interrupted while flushing tracking writes", 0, null, e);
    } finally {
      lock.unlock();
    }
    reportNewFailures();
  }

  /**
   * Takes up to {@code max} metric points buffered for {@code runId} (and not yet being sent) out
   * of the buffer, oldest first, for a caller that is about to send a request of its own to that
   * run and lets them ride in it: one request instead of two. Metric points are append-only, so
   * taking them out of order with the run's other writes changes nothing on the server. The caller
   * delivers them: if its request fails, it hands them back with {@link #logMetric(String, String,
   * double, long, long)}. Writes taken count as done for {@link #flush(Duration)}.
   */
  public List<MetricPoint> takeBufferedMetrics(String runId, int max) {
    List<MetricPoint> taken = new ArrayList<>();
    lock.lock();
    try {
      var it = queue.iterator();
      while (it.hasNext() && taken.size() < max) {
        if (it.next() instanceof PendingWrite.Metric m && m.runId().equals(runId)) {
          it.remove();
          taken.add(new MetricPoint(m.key(), m.value(), m.timestamp(), m.step()));
        }
      }
      completedSeq += taken.size();
      progress.signalAll();
    } finally {
      lock.unlock();
    }
    return taken;
  }

  /** Counters for monitoring and tests. */
  public WriterStats stats() {
    lock.lock();
    try {
      return new WriterStats(
          acceptedSeq,
          delivered.get(),
          failed.get(),
          queue.size() + inFlight,
          requests.get(),
          retrier.retries());
    } finally {
      lock.unlock();
    }
  }

  /** Every write the server refused for good, oldest first. */
  public List<DeliveryFailure> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /**
   * Delivers what is buffered (waiting up to {@link WriterOptions#closeTimeout()}) and stops the
   * sender.
   *
   * @throws MlflowTrackingException when writes could not be delivered in time: they are lost then,
   *     and the message says how many
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
    } finally {
      lock.unlock();
    }
    MlflowTrackingException failure = null;
    try {
      flush(options.closeTimeout());
    } catch (MlflowTrackingException e) {
      failure = e;
    }
    long undelivered;
    lock.lock();
    try {
      closed = true;
      undelivered = acceptedSeq - completedSeq;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    if (undelivered > 0) {
      abandoned = true;
      sender.interrupt();
    }
    try {
      sender.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (undelivered > 0) {
      String message =
          connection.redact(
              "Closed the MLflow writer with "
                  + undelivered
                  + " tracking writes undelivered to "
                  + connection.trackingUri()
                  + (lastTransientError == null ? "" : ": " + lastTransientError));
      LOG.error(message);
      throw new MlflowTrackingException(message, 0, null, failure);
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---- enqueueing -------------------------------------------------------------------------

  private PendingWrite metric(String runId, String key, double value, long timestamp, long step) {
    requireRunId(runId);
    options.limits().validateKey("metric", key);
    return new PendingWrite.Metric(runId, key, value, timestamp, step);
  }

  private PendingWrite param(String runId, String key, String value) {
    requireRunId(runId);
    options.limits().validateKey("param", key);
    return new PendingWrite.Param(
        runId,
        key,
        MlflowLimits.fitValue(
            "param",
            key,
            value,
            options.limits().maxParamValueLength(),
            options.oversizedValues()));
  }

  private PendingWrite tag(String runId, String key, String value) {
    requireRunId(runId);
    options.limits().validateKey("tag", key);
    return new PendingWrite.Tag(
        runId,
        key,
        MlflowLimits.fitValue(
            "tag", key, value, options.limits().maxTagValueLength(), options.oversizedValues()));
  }

  private static void requireRunId(String runId) {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
  }

  private void enqueue(List<PendingWrite> writes) {
    long deadline = System.nanoTime() + options.enqueueTimeout().toNanos();
    lock.lock();
    try {
      for (PendingWrite write : writes) {
        if (closed) {
          throw new IllegalStateException("the MLflow writer is closed");
        }
        while (queue.size() + inFlight >= options.bufferCapacity()) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new MlflowTrackingException(
                connection.redact(
                    "Tracking buffer full: "
                        + options.bufferCapacity()
                        + " writes are waiting for "
                        + connection.trackingUri()
                        + " and none was delivered for "
                        + options.enqueueTimeout().toMillis()
                        + " ms"
                        + (lastTransientError == null ? "" : " (" + lastTransientError + ")")
                        + "; raise bufferCapacity or check the server"),
                0,
                null,
                null);
          }
          workAvailable.signalAll();
          progress.awaitNanos(remaining);
        }
        queue.addLast(write);
        acceptedSeq++;
      }
      workAvailable.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlflowTrackingException("Interrupted while buffering tracking writes", 0, null, e);
    } finally {
      lock.unlock();
    }
  }

  // ---- sending ----------------------------------------------------------------------------

  private void sendLoop() {
    while (true) {
      List<PendingWrite> snapshot;
      lock.lock();
      try {
        while (queue.isEmpty()) {
          if (closed) {
            return;
          }
          workAvailable.await();
        }
        int fullBatch = options.limits().maxEntitiesPerBatch();
        long lingerEnd = System.nanoTime() + options.linger().toNanos();
        boolean sendEverything = false;
        while (!sendEverything && queue.size() < fullBatch) {
          long remaining = lingerEnd - System.nanoTime();
          sendEverything =
              closed
                  || flushRequestedSeq > completedSeq
                  || queue.size() + inFlight >= options.bufferCapacity()
                  || remaining <= 0;
          if (!sendEverything) {
            workAvailable.awaitNanos(remaining);
          }
        }
        // Woken by a full batch's worth of writes: send whole batches only, so that a fast
        // producer does not cut partial requests; the rest waits for more writes or the linger.
        int count =
            sendEverything
                ? Math.min(queue.size(), MAX_SNAPSHOT)
                : Math.min(
                    queue.size() / fullBatch * fullBatch, MAX_SNAPSHOT / fullBatch * fullBatch);
        snapshot = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          snapshot.add(queue.pollFirst());
        }
        inFlight = count;
      } catch (InterruptedException e) {
        if (abandoned) {
          return;
        }
        continue;
      } finally {
        lock.unlock();
      }
      deliver(snapshot);
      lock.lock();
      try {
        completedSeq += snapshot.size();
        inFlight = 0;
        progress.signalAll();
      } finally {
        lock.unlock();
      }
      if (abandoned) {
        return;
      }
    }
  }

  private void deliver(List<PendingWrite> snapshot) {
    Map<String, List<PendingWrite>> byRun = new LinkedHashMap<>();
    for (PendingWrite write : snapshot) {
      byRun.computeIfAbsent(write.runId(), k -> new ArrayList<>()).add(write);
    }
    for (Map.Entry<String, List<PendingWrite>> run : byRun.entrySet()) {
      for (BatchPlanner.Step step : planner.plan(run.getValue())) {
        sendUntilSettled(run.getKey(), step);
      }
    }
  }

  /** Sends one step; keeps retrying while failures are transient; isolates refused writes. */
  private void sendUntilSettled(String runId, BatchPlanner.Step step) {
    boolean warned = false;
    while (!abandoned) {
      try {
        send(runId, step);
        delivered.addAndGet(size(step));
        if (warned) {
          LOG.info("MLflow at {} is reachable again; delivering buffered writes", uri());
        }
        lastTransientError = null;
        return;
      } catch (MlflowTrackingException e) {
        if (MlflowFailures.isTransient(e)) {
          lastTransientError = e.getMessage();
          if (!warned) {
            LOG.warn("{}; keeping writes buffered and retrying", e.getMessage());
            warned = true;
          }
          pauseBeforeRedelivery();
          continue;
        }
        if (step instanceof BatchPlanner.Batch batch && batch.size() > 1) {
          for (BatchPlanner.Batch half : halves(batch)) {
            sendUntilSettled(runId, half);
          }
          return;
        }
        recordFailure(runId, step, e.getMessage());
        return;
      }
    }
  }

  private void send(String runId, BatchPlanner.Step step) {
    if (step instanceof BatchPlanner.Batch batch) {
      retrier.run(
          "log-batch for run " + runId,
          () -> {
            requests.incrementAndGet();
            sink.logBatch(runId, batch.metrics(), batch.params(), batch.tags());
          });
    } else {
      PendingWrite.Terminate end = ((BatchPlanner.End) step).terminate();
      retrier.run(
          "terminate run " + runId,
          () -> {
            requests.incrementAndGet();
            sink.terminate(end);
          });
    }
  }

  private void pauseBeforeRedelivery() {
    try {
      sleeper.sleep(options.retry().maxBackoff());
    } catch (InterruptedException e) {
      // close() gave up waiting: the loop checks `abandoned`.
    }
  }

  private static List<BatchPlanner.Batch> halves(BatchPlanner.Batch batch) {
    List<PendingWrite> all = new ArrayList<>(batch.size());
    all.addAll(batch.metrics());
    all.addAll(batch.params());
    all.addAll(batch.tags());
    int middle = all.size() / 2;
    return List.of(toBatch(all.subList(0, middle)), toBatch(all.subList(middle, all.size())));
  }

  private static BatchPlanner.Batch toBatch(List<PendingWrite> writes) {
    List<PendingWrite.Metric> metrics = new ArrayList<>();
    List<PendingWrite.Param> params = new ArrayList<>();
    List<PendingWrite.Tag> tags = new ArrayList<>();
    for (PendingWrite write : writes) {
      if (write instanceof PendingWrite.Metric m) {
        metrics.add(m);
      } else if (write instanceof PendingWrite.Param p) {
        params.add(p);
      } else {
        tags.add((PendingWrite.Tag) write);
      }
    }
    return new BatchPlanner.Batch(metrics, params, tags);
  }

  private void recordFailure(String runId, BatchPlanner.Step step, String reason) {
    DeliveryFailure failure = new DeliveryFailure(runId, describe(step), reason);
    LOG.error("MLflow refused {} for run {}: {}", failure.what(), runId, reason);
    failed.addAndGet(size(step));
    synchronized (failures) {
      failures.add(failure);
    }
  }

  private void reportNewFailures() {
    List<DeliveryFailure> fresh;
    synchronized (failures) {
      fresh = List.copyOf(failures.subList(failuresReported, failures.size()));
      failuresReported = failures.size();
    }
    if (!fresh.isEmpty()) {
      StringBuilder message =
          new StringBuilder(fresh.size() + " tracking write(s) were refused by the server: ");
      fresh.stream()
          .limit(5)
          .forEach(
              f ->
                  message
                      .append("[run ")
                      .append(f.runId())
                      .append(": ")
                      .append(f.what())
                      .append(" -> ")
                      .append(f.reason())
                      .append("] "));
      throw new MlflowTrackingException(
          connection.redact(message.toString().strip()), 0, null, null);
    }
  }

  private static String describe(BatchPlanner.Step step) {
    if (step instanceof BatchPlanner.End end) {
      return "terminate " + end.terminate().outcome();
    }
    BatchPlanner.Batch batch = (BatchPlanner.Batch) step;
    if (batch.size() == 1) {
      if (!batch.metrics().isEmpty()) {
        PendingWrite.Metric m = batch.metrics().get(0);
        return "metric " + m.key() + "@" + m.step() + "=" + m.value();
      }
      if (!batch.params().isEmpty()) {
        return "param " + batch.params().get(0).key();
      }
      return "tag " + batch.tags().get(0).key();
    }
    return batch.size() + " writes";
  }

  private static int size(BatchPlanner.Step step) {
    return step instanceof BatchPlanner.Batch batch ? batch.size() : 1;
  }

  private String uri() {
    return connection.trackingUri().toString();
  }
}
