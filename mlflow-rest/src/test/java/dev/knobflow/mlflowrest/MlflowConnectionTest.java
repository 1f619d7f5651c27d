package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MlflowConnectionTest {

  @Test
  void environmentProvidesUriTokenAndTlsMode() {
    MlflowConnection connection =
        MlflowConnection.fromEnvironment(
            Map.of(
                "MLFLOW_TRACKING_URI", "https://mlflow.example.com/",
                "MLFLOW_TRACKING_TOKEN", "tok-123",
                "MLFLOW_TRACKING_INSECURE_TLS", "true"));

    assertEquals("https://mlflow.example.com", connection.trackingUri().toString());
    assertEquals(Optional.of("Bearer tok-123"), connection.credentials().authorizationHeader());
    assertTrue(connection.insecureTls());
    assertEquals(Optional.of("tok-123"), Optional.ofNullable(connection.credentials().token()));
  }

  @Test
  void basicCredentialsWinOverTokenLikeMlflowClients() {
    MlflowConnection connection =
        MlflowConnection.of(
            "http://h:5000",
            Map.of(
                "MLFLOW_TRACKING_TOKEN", "tok",
                "MLFLOW_TRACKING_USERNAME", "bob",
                "MLFLOW_TRACKING_PASSWORD", "pw"));

    assertEquals("basic", connection.credentials().scheme());
    assertEquals(Optional.of("Basic Ym9iOnB3"), connection.credentials().authorizationHeader());
  }

  @Test
  void toStringNeverShowsSecrets() {
    MlflowConnection connection =
        MlflowConnection.of(
            "http://h:5000",
            Map.of("MLFLOW_TRACKING_USERNAME", "bob", "MLFLOW_TRACKING_PASSWORD", "hunter2"));
    MlflowConnection bearer =
        MlflowConnection.of("http://h:5000", Map.of("MLFLOW_TRACKING_TOKEN", "tok-secret"));

    assertFalse(connection.toString().contains("hunter2"));
    assertFalse(connection.credentials().toString().contains("hunter2"));
    assertFalse(bearer.toString().contains("tok-secret"));
    assertEquals(
        "MlflowConnection[trackingUri=http://h:5000, auth=bearer, insecureTls=false,"
            + " reuseConnections=false]",
        bearer.toString());
  }

  @Test
  void redactRemovesTokenPasswordAndEncodedPair() {
    MlflowCredentials basic = MlflowCredentials.basic("bob", "hunter2");
    String header = basic.authorizationHeader().orElseThrow();

    assertEquals("x *** y", basic.redact("x hunter2 y"));
    assertEquals("Basic ***", basic.redact(header));
    assertEquals("a *** b", MlflowCredentials.bearer("tok").redact("a tok b"));
  }

  @Test
  void usernameWithoutPasswordIsRejectedNamingTheVariables() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlflowConnection.of("http://h", Map.of("MLFLOW_TRACKING_USERNAME", "bob")));
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_PASSWORD"), e.getMessage());
  }

  @Test
  void badUrisAndTlsFlagsAreRejectedClearly() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> MlflowConnection.of("sqlite:///x.db"))
            .getMessage()
            .contains("http:// or https://"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> MlflowConnection.of("http://bob:pw@h:5000"))
            .getMessage()
            .contains("must not embed credentials"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    MlflowConnection.of("http://h", Map.of("MLFLOW_TRACKING_INSECURE_TLS", "yes")))
            .getMessage()
            .contains("MLFLOW_TRACKING_INSECURE_TLS must be true or false"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> MlflowConnection.fromEnvironment(Map.of()))
            .getMessage()
            .contains("MLFLOW_TRACKING_URI is not set"));
  }

  @Test
  void plainHttpOpensAConnectionPerRequestAndHttpsKeepsThemAliveByDefault() {
    assertFalse(MlflowConnection.of("http://h:5000").reuseConnections());
    assertTrue(MlflowConnection.of("https://h").reuseConnections());
    assertFalse(MlflowConnection.of("http://h:5000", Map.of()).reuseConnections());
    assertTrue(MlflowConnection.of("http://h:5000").withReuseConnections(true).reuseConnections());
  }

  @Test
  void reuseConnectionsCanBeSetFromTheEnvironment() {
    assertTrue(
        MlflowConnection.of("http://h:5000", Map.of("KNOBFLOW_MLFLOW_REUSE_CONNECTIONS", "true"))
            .reuseConnections());
    assertFalse(
        MlflowConnection.of("https://h", Map.of("KNOBFLOW_MLFLOW_REUSE_CONNECTIONS", "0"))
            .reuseConnections());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MlflowConnection.of(
                    "http://h:5000", Map.of("KNOBFLOW_MLFLOW_REUSE_CONNECTIONS", "sometimes")));
    assertTrue(e.getMessage().contains("KNOBFLOW_MLFLOW_REUSE_CONNECTIONS"), e.getMessage());
    assertTrue(e.getMessage().contains("true or false"), e.getMessage());
  }
}
