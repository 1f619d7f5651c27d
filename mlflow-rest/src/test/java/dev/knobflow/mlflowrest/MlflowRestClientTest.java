package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MlflowRestClientTest {

  /** One request as the fake server saw it. */
  private record Seen(int clientPort, String connectionHeader, String path, String body) {}

  private HttpServer server;
  private final List<Seen> seen = new ArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{}";

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (seen) {
        seen.add(
            new Seen(
                exchange.getRemoteAddress().getPort(),
                exchange.getRequestHeaders().getFirst("Connection"),
                exchange.getRequestURI().toString(),
                body));
      }
      byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, reply.length);
      exchange.getResponseBody().write(reply);
    }
  }

  private MlflowRestClient client(boolean reuse) {
    MlflowConnection connection =
        MlflowConnection.of("http://127.0.0.1:" + server.getAddress().getPort())
            .withReuseConnections(reuse);
    return new MlflowRestClient(connection, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private Set<Integer> clientPorts() {
    synchronized (seen) {
      return seen.stream().map(Seen::clientPort).collect(Collectors.toSet());
    }
  }

  @Test
  void withoutReuseEveryRequestAsksToCloseAndComesOnItsOwnConnection() {
    MlflowRestClient client = client(false);
    for (int i = 0; i < 4; i++) {
      client.get("runs/get", "run_id", "r" + i);
    }

    assertEquals(4, seen.size());
    assertEquals(4, clientPorts().size(), "a new connection (client port) per request");
    seen.forEach(s -> assertEquals("close", s.connectionHeader()));
  }

  @Test
  void withReuseRequestsShareOneKeptAliveConnection() {
    MlflowRestClient client = client(true);
    for (int i = 0; i < 4; i++) {
      client.post("runs/log-batch", MlflowRestClient.object().put("run_id", "r"));
    }

    assertEquals(4, seen.size());
    assertEquals(1, clientPorts().size(), "one connection for all requests");
    seen.forEach(
        s -> assertTrue(s.connectionHeader() == null || !s.connectionHeader().equals("close")));
  }

  @Test
  void queryValuesAreEncodedAndBodiesSentAsJson() {
    answer = "{\"run\":{\"info\":{\"run_id\":\"abc\"}}}";
    MlflowRestClient client = client(false);

    String runId =
        client.get("runs/get", "run_id", "a b&c").path("run").path("info").path("run_id").asText();
    var body = MlflowRestClient.object();
    MlflowRestClient.putDouble(body, "value", Double.NaN);
    MlflowRestClient.putDouble(body, "low", Double.NEGATIVE_INFINITY);
    MlflowRestClient.putDouble(body, "x", 0.5);
    client.post("runs/log-metric", body);

    assertEquals("abc", runId);
    assertEquals("/api/2.0/mlflow/runs/get?run_id=a+b%26c", seen.get(0).path());
    assertEquals("{\"value\":\"NaN\",\"low\":\"-Infinity\",\"x\":0.5}", seen.get(1).body());
  }

  @Test
  void errorAnswersBecomeHttpExceptionsWithStatusAndBody() {
    status = 503;
    answer = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"busy\"}";

    MlflowHttpException e =
        assertThrows(MlflowHttpException.class, () -> client(false).get("runs/get", "run_id", "r"));

    assertEquals(503, e.getStatusCode());
    assertTrue(e.getBodyMessage().contains("TEMPORARILY_UNAVAILABLE"), e.getBodyMessage());
    assertTrue(MlflowFailures.isTransient(e));
  }

  @Test
  void aMissingExperimentIsEmptyButOtherNotFoundErrorsAreThrown() {
    status = 404;
    answer = "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no such experiment\"}";
    assertEquals(Optional.empty(), client(false).experimentByName("study"));
    assertEquals(
        "/api/2.0/mlflow/experiments/get-by-name?experiment_name=study", seen.get(0).path());

    answer = "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no such path\"}";
    assertThrows(MlflowHttpException.class, () -> client(false).experimentByName("study"));
  }

  @Test
  void noAnswerIsAConnectionProblemWrappingTheIoError() {
    MlflowRestClient client = client(false);
    server.stop(0);

    MlflowClientException e =
        assertThrows(MlflowClientException.class, () -> client.get("runs/get", "run_id", "r"));

    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    assertTrue(MlflowFailures.isConnectionProblem(e));
    assertTrue(!(e instanceof MlflowHttpException), "no HTTP answer, so no status");
  }
}
