package dev.knobflow.plugin.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a real server that records every request (method, path, headers), can
 * answer the next requests with an injected status instead of forwarding them, and can rewrite the
 * Host header. It forwards over a raw socket so that any Host header can be sent.
 */
public final class RecordingProxy implements AutoCloseable {

  /** One request seen by the proxy, with its body as text. */
  public record Seen(String method, String path, Map<String, List<String>> headers, String body) {

    /** First value of a header (case-insensitive), or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final int targetPort;
  private final List<Seen> seen = new ArrayList<>();
  private final AtomicInteger failuresToInject = new AtomicInteger();
  private volatile int injectedStatus = 503;
  private volatile String hostOverride;

  private RecordingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Starts a proxy forwarding to 127.0.0.1:{@code targetPort}. */
  public static RecordingProxy to(int targetPort) {
    try {
      return new RecordingProxy(targetPort);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The proxy's base URL. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next {@code count} requests with {@code status} without forwarding them. */
  public void failNext(int count, int status) {
    injectedStatus = status;
    failuresToInject.set(count);
  }

  /** Sends this Host header upstream instead of the client's. */
  public void overrideHost(String host) {
    hostOverride = host;
  }

  /** Every request seen so far. */
  public synchronized List<Seen> requests() {
    return List.copyOf(seen);
  }

  /** How many requests had a path ending with {@code suffix}. */
  public synchronized long count(String suffix) {
    return seen.stream().filter(s -> s.path().split("\\?")[0].endsWith(suffix)).count();
  }

  /** Forgets the requests seen so far. */
  public synchronized void reset() {
    seen.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (exchange.getRequestURI().getRawQuery() != null) {
        path += "?" + exchange.getRequestURI().getRawQuery();
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      synchronized (this) {
        seen.add(
            new Seen(
                exchange.getRequestMethod(),
                path,
                Map.copyOf(exchange.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8)));
      }
      if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        byte[] reply =
            "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"injected\"}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(injectedStatus, reply.length);
        exchange.getResponseBody().write(reply);
        return;
      }
      forward(exchange, path, body);
    }
  }

  private void forward(HttpExchange exchange, String path, byte[] body) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(exchange.getRequestMethod()).append(' ').append(path).append(" HTTP/1.0\r\n");
    String host =
        hostOverride != null ? hostOverride : exchange.getRequestHeaders().getFirst("Host");
    head.append("Host: ").append(host).append("\r\n");
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase();
              if (!lower.equals("host")
                  && !lower.equals("connection")
                  && !lower.equals("content-length")
                  && !lower.equals("transfer-encoding")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
              }
            });
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    byte[] response;
    try (Socket socket = new Socket("127.0.0.1", targetPort)) {
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      response = readAll(socket.getInputStream());
    } catch (IOException e) {
      exchange.sendResponseHeaders(502, -1);
      return;
    }
    int split = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    String[] headLines = new String(response, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(headLines[0].split(" ")[1]);
    for (int i = 1; i < headLines.length; i++) {
      int colon = headLines[i].indexOf(':');
      String name = headLines[i].substring(0, colon).trim();
      String lower = name.toLowerCase();
      if (!lower.equals("content-length")
          && !lower.equals("connection")
          && !lower.equals("transfer-encoding")
          && !lower.equals("date")) {
        exchange.getResponseHeaders().add(name, headLines[i].substring(colon + 1).trim());
      }
    }
    int bodyLength = response.length - split - 4;
    exchange.sendResponseHeaders(status, bodyLength == 0 ? -1 : bodyLength);
    if (bodyLength > 0) {
      exchange.getResponseBody().write(response, split + 4, bodyLength);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("malformed HTTP response");
  }
}
