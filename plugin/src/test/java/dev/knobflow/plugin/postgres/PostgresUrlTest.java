package dev.knobflow.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.config.StorageSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void parsesEveryPartWithDefaultsAndPercentEncoding() {
    PostgresUrl u =
        PostgresUrl.parse("postgresql://ml%40team:p%40ss%3Aw0rd@db.example:6543/studies");
    assertEquals("ml@team", u.user());
    assertEquals("p@ss:w0rd", u.password());
    assertEquals("db.example", u.host());
    assertEquals(6543, u.port());
    assertEquals("studies", u.database());
    assertEquals("jdbc:postgresql://db.example:6543/studies", u.jdbcUrl());

    PostgresUrl plain = PostgresUrl.parse("postgresql://knobflow@10.0.0.5/kf?sslmode=require");
    assertNull(plain.password());
    assertEquals(PostgresUrl.DEFAULT_PORT, plain.port());
    assertEquals(Map.of("sslmode", "require"), plain.properties());
    assertEquals("postgresql://knobflow@10.0.0.5:5432/kf?sslmode=require", plain.describe());

    PostgresUrl v6 = PostgresUrl.parse("postgresql://u@[::1]:5433/d");
    assertEquals("::1", v6.host());
    assertEquals("jdbc:postgresql://[::1]:5433/d", v6.jdbcUrl());
  }

  @Test
  void thePasswordIsMaskedInEveryRendering() {
    PostgresUrl u = PostgresUrl.parse("postgresql://knobflow:Sup3rSecret@db:5432/kf");
    assertEquals("postgresql://knobflow:***@db:5432/kf", u.describe());
    assertEquals(u.describe(), u.toString());
    assertFalse(new StorageSpec.Postgres(u).toString().contains("Sup3rSecret"));
    assertFalse(new StorageSpec.Postgres(u).describe().contains("Sup3rSecret"));
    assertEquals(
        "storage: postgresql://knobflow:***@db/kf # and postgres://a:***@h/d",
        PostgresUrl.redact(
            "storage: postgresql://knobflow:Sup3rSecret@db/kf # and postgres://a:b@h/d"));
    assertEquals("journal:x.jsonl", PostgresUrl.redact("journal:x.jsonl"));
  }

  @Test
  void thePasswordComesFromTheUrlElsePgpassword() {
    Map<String, String> env = Map.of("PGPASSWORD", "fromEnv");
    assertEquals(
        Optional.of("inUrl"), PostgresUrl.parse("postgresql://u:inUrl@h/d").passwordFrom(env));
    assertEquals(Optional.of("fromEnv"), PostgresUrl.parse("postgresql://u@h/d").passwordFrom(env));
    assertEquals(Optional.empty(), PostgresUrl.parse("postgresql://u@h/d").passwordFrom(Map.of()));
  }

  @Test
  void badUrlsNameTheFormAndWhatIsMissingButNeverThePassword() {
    var noUser =
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql://h/d"));
    assertTrue(noUser.getMessage().contains(PostgresUrl.FORM), noUser.getMessage());
    assertTrue(noUser.getMessage().contains("no USER@"), noUser.getMessage());
    var noDb =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresUrl.parse("postgresql://u:Hidden1@h:5432"));
    assertTrue(noDb.getMessage().contains("no /DB"), noDb.getMessage());
    assertFalse(noDb.getMessage().contains("Hidden1"), noDb.getMessage());
    var port =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresUrl.parse("postgresql://u:Hidden1@h:x/d"));
    assertTrue(port.getMessage().contains("1..65535"), port.getMessage());
    assertFalse(port.getMessage().contains("Hidden1"), port.getMessage());
    var query =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresUrl.parse("postgresql://u@h/d?password=Hidden1"));
    assertFalse(query.getMessage().contains("Hidden1"), query.getMessage());
  }

  @Test
  void theStorageSpecParserAcceptsBothSchemes() {
    Path cwd = Path.of("/tmp");
    assertEquals(
        new StorageSpec.Postgres(PostgresUrl.parse("postgresql://u@h/d")),
        StorageSpec.parse("postgres://u@h/d", cwd));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> StorageSpec.parse("postgresq://u:Pw9@h/d", cwd));
    assertFalse(e.getMessage().contains("Pw9"), e.getMessage());
  }

  @Test
  void poolIsKnobflowsOwnSettingNotADriverProperty() {
    PostgresUrl u = PostgresUrl.parse("postgresql://u@h/d?sslmode=require&pool=64");
    assertEquals(OptionalInt.of(64), u.poolSize());
    assertEquals(Map.of("sslmode", "require"), u.driverProperties());
    assertEquals(OptionalInt.empty(), PostgresUrl.parse("postgresql://u@h/d").poolSize());
  }

  @Test
  void aBadPoolSizeIsAClearErrorWithoutThePassword() {
    for (String bad : new String[] {"0", "-3", "many", "1001", ""}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PostgresUrl.parse("postgresql://u:Sup3rSecret@h/d?pool=" + bad));
      assertTrue(e.getMessage().contains("pool"), e.getMessage());
      assertTrue(e.getMessage().contains("1..1000"), e.getMessage());
      assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
      assertFalse(e.getMessage().contains("Sup3rSecret"), e.getMessage());
    }
  }
}
