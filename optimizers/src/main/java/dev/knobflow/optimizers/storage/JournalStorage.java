package dev.knobflow.optimizers.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.time.RetryLoop;
import dev.knobflow.time.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default storage: an append-only journal of JSON lines, one operation a line.
 *
 * <ul>
 *   <li>Every write takes an exclusive lock on the file, first replays what other processes
 *       appended, validates the operation against the replayed state, then appends it. Two
 *       processes appending at once lose nothing and never share a trial number.
 *   <li>Finishing a trial (and creating a study) is fsynced before the call returns, so a crash
 *       never loses a completed trial.
 *   <li>On open the journal is replayed. A torn last line (a crash mid-write) is reported once and
 *       skipped; everything before it survives. The next writer terminates it with a newline so
 *       later records stay readable.
 * </ul>
 */
public final class JournalStorage implements StudyStorage {

  private static final Logger LOG = LoggerFactory.getLogger(JournalStorage.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long to wait for another journal of this JVM to release the file lock: until it does. */
  private static final RetryLoop LOCK_WAIT = RetryPolicy.forever(Duration.ofMillis(1)).loop();

  private final Path path;
  private final FileChannel reader;
  private final FileChannel writer;
  private StudyState state = new StudyState();
  private long offset;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long lineNumber;
  private int skippedLines;

  private JournalStorage(Path path) throws IOException {
    this.path = path;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.writer =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.reader = FileChannel.open(path, StandardOpenOption.READ);
    catchUp(false);
  }

  /**
   * The cause in words: the JDK's file exceptions carry only the path as their message, which the
   * caller already names.
   */
  static String reason(IOException e, Path path) {
    if (e instanceof java.nio.file.FileSystemException fse) {
      String what =
          e instanceof java.nio.file.NoSuchFileException
              ? "no such file or folder"
              : e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
      String file = fse.getFile();
      return file == null || Path.of(file).equals(path) ? what : what + " (" + file + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Opens (creating if needed) the journal at {@code path} and replays it. */
  public static JournalStorage open(Path path) {
    try {
      return new JournalStorage(path);
    } catch (IOException e) {
      throw new StorageException("cannot open journal " + path + ": " + reason(e, path), e);
    }
  }

  /** The journal file. */
  public Path path() {
    return path;
  }

  /** How many unreadable lines (torn or corrupt) were skipped while replaying. */
  public synchronized int skippedLines() {
    return skippedLines;
  }

  @Override
  public synchronized StudyRecord createStudy(String name, List<Objective> objectives) {
    return write(
        true,
        () -> {
          boolean existed = state.hasStudy(name);
          if (!existed) {
            StudyNames.check(name);
          }
          StudyRecord record = state.createStudy(name, objectives, Instant.now());
          if (existed) {
            return new Result<>(record, null);
          }
          List<Map<String, Object>> objs = new ArrayList<>();
          for (Objective o : objectives) {
            objs.add(Map.of("name", o.name(), "direction", o.direction().id()));
          }
          return new Result<>(
              record, op("create_study", name, -1, Map.of("objectives", objs), record.created()));
        });
  }

  @Override
  public synchronized Optional<StudyRecord> findStudy(String name) {
    catchUpQuietly();
    return state.findStudy(name);
  }

  @Override
  public synchronized List<StudyRecord> studies() {
    catchUpQuietly();
    return state.studies();
  }

  @Override
  public synchronized void setStudyAttr(String study, String key, Object value) {
    write(
        false,
        () -> {
          state.setStudyAttr(study, key, value);
          return new Result<>(
              null, op("set_study_attr", study, -1, kv("key", key, "value", value), null));
        });
  }

  @Override
  public synchronized FrozenTrial createTrial(
      String study, TrialState trialState, Map<String, Object> systemAttrs) {
    return write(false, () -> create(study, trialState, systemAttrs));
  }

  /** Creates the trial in the replayed state; the caller holds the file lock. */
  private Result<FrozenTrial> create(
      String study, TrialState trialState, Map<String, Object> systemAttrs) {
    Instant now = Instant.now();
    int number = state.nextTrialNumber(study);
    FrozenTrial trial = state.createTrial(study, number, trialState, systemAttrs, now);
    return new Result<>(
        trial,
        op(
            "create_trial",
            study,
            number,
            kv("state", trialState.name(), "system_attrs", systemAttrs),
            now));
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrial(String study) {
    return write(
        false,
        () -> {
          Optional<Integer> waiting = state.oldestWaiting(study);
          if (waiting.isEmpty()) {
            return new Result<>(Optional.empty(), null);
          }
          return claim(study, waiting.get());
        });
  }

  /** Claims WAITING trial {@code number} in the replayed state; the caller holds the file lock. */
  private Result<Optional<FrozenTrial>> claim(String study, int number) {
    Instant now = Instant.now();
    FrozenTrial trial = state.claim(study, number, now);
    return new Result<>(Optional.of(trial), op("claim", study, trial.number(), null, now));
  }

  /** Kept in the replayed state as trials change: O(1) after reading what others appended. */
  @Override
  public synchronized int trialsOccupyingTarget(String study) {
    catchUpQuietly();
    return state.trialsOccupyingTarget(study);
  }

  /**
   * True: the check and the start run under the file lock, after replaying what other processes
   * appended, so workers of every process end exactly at the target.
   */
  @Override
  public boolean holdsTargetExactly() {
    return true;
  }

  @Override
  public synchronized Optional<FrozenTrial> claimWaitingTrialBelowTarget(
      String study, long target) {
    return write(
        false,
        () -> {
          Optional<Integer> waiting = state.oldestWaiting(study);
          if (waiting.isEmpty() || state.trialsOccupyingTarget(study) >= target) {
            return new Result<>(Optional.empty(), null);
          }
          return claim(study, waiting.get());
        });
  }

  @Override
  public synchronized Optional<FrozenTrial> createTrialBelowTarget(
      String study, long target, Map<String, Object> systemAttrs) {
    return write(
        false,
        () -> {
          if (state.trialsOccupyingTarget(study) >= target) {
            return new Result<>(Optional.empty(), null);
          }
          Result<FrozenTrial> created = create(study, TrialState.RUNNING, systemAttrs);
          return new Result<>(Optional.of(created.value()), created.op());
        });
  }

  @Override
  public synchronized void setParam(
      String study, int number, String name, Distribution distribution, Object value) {
    write(
        false,
        () -> {
          state.setParam(study, number, name, distribution, value);
          return new Result<>(
              null,
              op(
                  "set_param",
                  study,
                  number,
                  kv(
                      "name",
                      name,
                      "distribution",
                      DistributionJson.toMap(distribution),
                      "value",
                      value),
                  null));
        });
  }

  @Override
  public synchronized void reportIntermediate(
      String study, int number, long step, List<Double> values) {
    write(
        false,
        () -> {
          state.reportIntermediate(study, number, step, values);
          return new Result<>(
              null, op("report", study, number, kv("step", step, "values", values), null));
        });
  }

  @Override
  public synchronized void setUserAttr(String study, int number, String key, Object value) {
    write(
        false,
        () -> {
          state.setUserAttr(study, number, key, value);
          return new Result<>(
              null, op("set_user_attr", study, number, kv("key", key, "value", value), null));
        });
  }

  @Override
  public synchronized void setSystemAttr(String study, int number, String key, Object value) {
    write(
        false,
        () -> {
          state.setSystemAttr(study, number, key, value);
          return new Result<>(
              null, op("set_system_attr", study, number, kv("key", key, "value", value), null));
        });
  }

  @Override
  public synchronized void setBudget(String study, int number, double budget) {
    write(
        false,
        () -> {
          state.setBudget(study, number, budget);
          return new Result<>(null, op("set_budget", study, number, kv("budget", budget), null));
        });
  }

  @Override
  public synchronized void heartbeat(String study, int number, Instant at) {
    write(
        false,
        () -> {
          state.heartbeat(study, number, at);
          return new Result<>(null, op("heartbeat", study, number, null, at));
        });
  }

  @Override
  public synchronized FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
    return write(
        true,
        () -> {
          FrozenTrial trial = state.finishTrial(study, number, outcome);
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("state", outcome.state().name());
          fields.put("values", outcome.values());
          if (!outcome.constraints().isEmpty()) {
            fields.put("constraints", outcome.constraints());
          }
          if (!outcome.metrics().isEmpty()) {
            fields.put("metrics", outcome.metrics());
          }
          if (outcome.reason() != null) {
            fields.put("reason", outcome.reason());
          }
          return new Result<>(trial, op("finish", study, number, fields, outcome.at()));
        });
  }

  @Override
  public synchronized FrozenTrial trial(String study, int number) {
    catchUpQuietly();
    return state.trialSnapshot(study, number);
  }

  @Override
  public synchronized List<FrozenTrial> trials(String study) {
    catchUpQuietly();
    return state.trials(study);
  }

  @Override
  public synchronized int trialCount(String study) {
    catchUpQuietly();
    return state.trialCount(study);
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
      reader.close();
    } catch (IOException e) {
      throw new StorageException("cannot close journal " + path + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private record Result<T>(T value, Map<String, Object> op) {}

  private <T> T write(boolean durable, Supplier<Result<T>> operation) {
    try (FileLock ignored = lock()) {
      catchUp(true);
      Result<T> result = operation.get();
      if (result.op() != null) {
        byte[] line = encode(result.op());
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
        if (durable) {
          writer.force(false);
        }
        offset += line.length;
        lineNumber++;
      }
      return result.value();
    } catch (IOException e) {
      reloadAfterFailure();
      throw new StorageException("cannot write journal " + path + ": " + e.getMessage(), e);
    }
  }

  private FileLock lock() throws IOException {
    // Another JournalStorage on the same file in this JVM holds the lock: wait for it.
    try {
      return LOCK_WAIT.poll(this::tryLockInProcess, Optional::isPresent).orElseThrow();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for the journal lock", e);
    }
  }

  /** The file lock, or empty while another channel of this JVM holds it. */
  private Optional<FileLock> tryLockInProcess() {
    try {
      return Optional.of(writer.lock());
    } catch (OverlappingFileLockException sameJvm) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void reloadAfterFailure() {
    state = new StudyState();
    offset = 0;
    lineNumber = 0;
    partial.reset();
    catchUpQuietly();
  }

  private void catchUpQuietly() {
    try {
      catchUp(false);
    } catch (IOException e) {
      throw new StorageException("cannot read journal " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replays lines appended since the last read. Only complete lines are applied; under the lock an
   * incomplete tail can only be a torn write by a crashed process, so it is terminated and skipped.
   */
  private void catchUp(boolean underLock) throws IOException {
    long size = reader.size();
    if (size > offset) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
      while (offset < size) {
        buffer.clear();
        int read = reader.read(buffer, offset);
        if (read <= 0) {
          break;
        }
        offset += read;
        byte[] bytes = buffer.array();
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (bytes[i] == '\n') {
            partial.write(bytes, start, i - start);
            applyLine(partial.toByteArray());
            partial.reset();
            start = i + 1;
          }
        }
        partial.write(bytes, start, read - start);
      }
    }
    if (underLock && partial.size() > 0) {
      lineNumber++;
      skippedLines++;
      LOG.warn(
          "journal {}: line {} is torn ({} bytes, a crash mid-write?); it is skipped and"
              + " everything before it is kept",
          path,
          lineNumber,
          partial.size());
      partial.reset();
      ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
      writer.write(newline);
      offset += 1;
    }
  }

  private void applyLine(byte[] line) {
    lineNumber++;
    if (line.length == 0) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      skippedLines++;
      LOG.warn("journal {}: line {} is not valid JSON and is skipped", path, lineNumber);
      return;
    }
    try {
      apply(node);
    } catch (RuntimeException e) {
      skippedLines++;
      LOG.warn(
          "journal {}: line {} could not be applied and is skipped: {}",
          path,
          lineNumber,
          e.getMessage());
    }
  }

  private void apply(JsonNode node) {
    String op = node.path("op").asText();
    String study = node.path("study").asText();
    int number = node.path("trial").asInt(-1);
    Instant at = node.has("t") ? Instant.ofEpochMilli(node.get("t").asLong()) : Instant.now();
    switch (op) {
      case "create_study" -> {
        List<Objective> objectives = new ArrayList<>();
        for (JsonNode o : node.path("objectives")) {
          objectives.add(
              new Objective(
                  o.path("name").asText(), Direction.parse(o.path("direction").asText())));
        }
        state.createStudy(study, objectives, at);
      }
      case "set_study_attr" ->
          state.setStudyAttr(study, node.path("key").asText(), plain(node.get("value")));
      case "create_trial" -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs =
            node.has("system_attrs")
                ? JSON.convertValue(node.get("system_attrs"), Map.class)
                : Map.of();
        state.createTrial(
            study, number, TrialState.valueOf(node.path("state").asText()), attrs, at);
      }
      case "claim" -> state.claim(study, number, at);
      case "set_param" -> {
        Distribution distribution = DistributionJson.fromJson(node.path("distribution"));
        Object value =
            DistributionJson.canonicalValue(
                distribution, DistributionJson.scalar(node.path("value")));
        state.setParam(study, number, node.path("name").asText(), distribution, value);
      }
      case "report" ->
          state.reportIntermediate(
              study, number, node.path("step").asLong(), doubles(node.path("values")));
      case "set_user_attr" ->
          state.setUserAttr(study, number, node.path("key").asText(), plain(node.get("value")));
      case "set_system_attr" ->
          state.setSystemAttr(study, number, node.path("key").asText(), plain(node.get("value")));
      case "set_budget" ->
          state.setBudget(study, number, DistributionJson.number(node.path("budget")));
      case "heartbeat" -> state.heartbeat(study, number, at);
      case "finish" -> {
        Map<String, Double> metrics = new LinkedHashMap<>();
        node.path("metrics")
            .fields()
            .forEachRemaining(e -> metrics.put(e.getKey(), DistributionJson.number(e.getValue())));
        state.finishTrial(
            study,
            number,
            new TrialOutcome(
                TrialState.valueOf(node.path("state").asText()),
                doubles(node.path("values")),
                doubles(node.path("constraints")),
                metrics,
                node.hasNonNull("reason") ? node.get("reason").asText() : null,
                at));
      }
      default -> throw new IllegalArgumentException("unknown operation '" + op + "'");
    }
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>(array.size());
    for (JsonNode v : array) {
      out.add(DistributionJson.number(v));
    }
    return out;
  }

  private static Object plain(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isValueNode()) {
      return DistributionJson.scalar(node);
    }
    return JSON.convertValue(node, Object.class);
  }

  private static Map<String, Object> op(
      String op, String study, int trial, Map<String, Object> fields, Instant at) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("op", op);
    map.put("study", study);
    if (trial >= 0) {
      map.put("trial", trial);
    }
    if (at != null) {
      map.put("t", at.toEpochMilli());
    }
    if (fields != null) {
      map.putAll(fields);
    }
    return map;
  }

  private static Map<String, Object> kv(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static byte[] encode(Map<String, Object> op) {
    try {
      byte[] json = JSON.writeValueAsBytes(op);
      byte[] line = new byte[json.length + 1];
      System.arraycopy(json, 0, line, 0, json.length);
      line[json.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new StorageException("cannot encode journal record: " + e.getMessage(), e);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
