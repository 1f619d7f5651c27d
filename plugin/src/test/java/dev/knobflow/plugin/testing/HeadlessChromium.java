package dev.knobflow.plugin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol (the JDK's WebSocket
 * client): open a page, then evaluate JavaScript in the page or in one of its frames (e.g. the
 * iframe MLflow's artifact viewer puts a report in).
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.start()) {
 *   browser.open("file:///tmp/report.html");
 *   JsonNode done = browser.awaitValue(null, "document.body.dataset.reportDone", "true"::equals, ...);
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private String session;

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The {@code chromium} executable on the PATH, if any. */
  public static Optional<Path> executable() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(n -> Path.of(dir, n)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts a headless browser with a fresh profile. */
  public static HeadlessChromium start() throws IOException {
    Path exe = executable().orElseThrow(() -> new IllegalStateException("chromium is not on PATH"));
    Path profile = Files.createTempDirectory("knobflow-chromium");
    Process process =
        new ProcessBuilder(
                exe.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--use-gl=swiftshader",
                "--enable-unsafe-swiftshader",
                "--no-first-run",
                "--window-size=1400,1000",
                // All frames in one renderer, so a sandboxed iframe's document can be evaluated.
                "--disable-site-isolation-trials",
                "--disable-features=IsolateOrigins,site-per-process",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String endpoint = null;
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    for (String line; (line = err.readLine()) != null; ) {
      int at = line.indexOf("ws://");
      if (line.startsWith("DevTools listening on") && at >= 0) {
        endpoint = line.substring(at).trim();
        break;
      }
    }
    if (endpoint == null) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not start its DevTools endpoint");
    }
    // Keep draining stderr so the browser never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (err.readLine() != null) {
                  // discard
                }
              } catch (IOException ignored) {
                // the browser exited
              }
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    HeadlessChromium[] self = new HeadlessChromium[1];
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(endpoint),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      self[0].received(text.toString());
                      text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .join();
    self[0] = new HeadlessChromium(process, profile, socket);
    return self[0];
  }

  private void received(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      if (node.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
        if (f != null) {
          f.complete(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a DevTools command to the page (or the browser before {@link #open}); its result. */
  public JsonNode send(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params == null ? JSON.createObjectNode() : params);
    if (session != null) {
      msg.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(msg.toString(), true).join();
    JsonNode answer = reply.orTimeout(60, TimeUnit.SECONDS).join();
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.get("error"));
    }
    return answer.get("result");
  }

  /** Opens {@code url} in a new tab that later calls act on. */
  public void open(String url) {
    String target =
        send("Target.createTarget", JSON.createObjectNode().put("url", url))
            .get("targetId")
            .asText();
    session =
        send(
                "Target.attachToTarget",
                JSON.createObjectNode().put("targetId", target).put("flatten", true))
            .get("sessionId")
            .asText();
    send("Page.enable", null);
  }

  /**
   * Evaluates {@code expression} in the page's main frame ({@code frameUrlPrefix} null) or in the
   * first child frame whose URL starts with the prefix; empty while there is no such frame.
   */
  public Optional<JsonNode> evaluate(String frameUrlPrefix, String expression) {
    ObjectNode params =
        JSON.createObjectNode()
            .put("expression", expression)
            .put("returnByValue", true)
            .put("awaitPromise", true);
    if (frameUrlPrefix != null) {
      Optional<String> frame =
          findFrame(send("Page.getFrameTree", null).get("frameTree"), frameUrlPrefix);
      if (frame.isEmpty()) {
        return Optional.empty();
      }
      int context =
          send(
                  "Page.createIsolatedWorld",
                  JSON.createObjectNode().put("frameId", frame.get()).put("worldName", "test"))
              .get("executionContextId")
              .asInt();
      params.put("contextId", context);
    }
    JsonNode result = send("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("evaluation failed: " + result.get("exceptionDetails"));
    }
    return Optional.ofNullable(result.get("result").get("value"));
  }

  /**
   * Polls {@link #evaluate} until its value passes {@code done} or {@code timeout} passes; the last
   * value (empty if none came).
   */
  public Optional<JsonNode> awaitValue(
      String frameUrlPrefix, String expression, Predicate<JsonNode> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<JsonNode> last = Optional.empty();
    while (System.nanoTime() < deadline) {
      last = evaluate(frameUrlPrefix, expression);
      if (last.isPresent() && done.test(last.get())) {
        return last;
      }
      Thread.sleep(250);
    }
    return last;
  }

  /** A PNG screenshot of the page's viewport. */
  public byte[] screenshot() {
    String data =
        send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"))
            .get("data")
            .asText();
    return java.util.Base64.getDecoder().decode(data);
  }

  private static Optional<String> findFrame(JsonNode tree, String prefix) {
    for (JsonNode child : tree.path("childFrames")) {
      if (child.path("frame").path("url").asText().startsWith(prefix)) {
        return Optional.of(child.path("frame").path("id").asText());
      }
      Optional<String> deeper = findFrame(child, prefix);
      if (deeper.isPresent()) {
        return deeper;
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
