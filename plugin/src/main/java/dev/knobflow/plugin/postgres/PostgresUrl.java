package dev.knobflow.plugin.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a PostgreSQL study storage lives: {@code
 * postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?key=value&...]}. User and password may be
 * percent-encoded (a password holding {@code @} or {@code :}); query parameters go to the JDBC
 * driver as connection properties (e.g. {@code sslmode=require}), except {@code pool=N}: the
 * connections this process keeps (1 to {@value #MAX_POOL}; default 4), e.g. as many as its worker
 * threads.
 *
 * <p>The password never leaves this value except to the driver: {@link #toString()} and {@link
 * #describe()} mask it, and {@link #redact(String)} masks every such URL's password in any text.
 *
 * @param user the database user
 * @param password the password from the URL, or {@code null} to take {@code PGPASSWORD} or the
 *     {@code .pgpass} file
 * @param host the server's host name or address
 * @param port the server's port
 * @param database the database name
 * @param properties extra JDBC connection properties, in the URL's order
 */
public record PostgresUrl(
    String user,
    @Nullable String password,
    String host,
    int port,
    String database,
    Map<String, String> properties) {

  /** The URL scheme. */
  public static final String SCHEME = "postgresql://";

  /** The default port. */
  public static final int DEFAULT_PORT = 5432;

  /** The form, for messages. */
  public static final String FORM = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB";

  /** The query key for the pool size: Knobflow's, not a driver property. */
  public static final String POOL = "pool";

  /** The largest {@code pool=N}. */
  public static final int MAX_POOL = 1000;

  private static final String MASK = "***";

  // user[:password]@host[:port]/db[?query]; host may be a bracketed IPv6 address.
  private static final Pattern URL =
      Pattern.compile(
          "postgresql://([^:@/?]+)(?::([^@/?]*))?@(\\[[^\\]]+\\]|[^:/?\\[\\]]+)(?::([^/?]*))?"
              + "/([^?/]+)(?:\\?(.*))?");

  // The password part of any URL with user info (a mistyped scheme must not leak it either).
  private static final Pattern PASSWORD_IN_TEXT =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:@/\\s'\"]+:)([^@\\s'\"]*)(@)");

  /** Checks every field. */
  public PostgresUrl {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the expected form and what is wrong, never the password
   */
  public static PostgresUrl parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = URL.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be " + FORM + ", got '" + redact(t) + "'" + missingPart(t));
    }
    String user = decode(m.group(1), "user");
    String password = m.group(2) == null ? null : decode(m.group(2), "password");
    String host = m.group(3);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = DEFAULT_PORT;
    if (m.group(4) != null) {
      try {
        port = Integer.parseInt(m.group(4));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "the port in '"
                + redact(t)
                + "' must be a number in 1..65535, got '"
                + m.group(4)
                + "'");
      }
    }
    String database = decode(m.group(5), "database");
    Map<String, String> properties = new LinkedHashMap<>();
    if (m.group(6) != null && !m.group(6).isEmpty()) {
      for (String pair : m.group(6).split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "the query of '"
                  + redact(t)
                  + "' must be key=value pairs joined by &, got '"
                  + pair
                  + "'");
        }
        String key = decode(pair.substring(0, eq), "query key");
        if (key.equalsIgnoreCase("password") || key.equalsIgnoreCase("user")) {
          throw new IllegalArgumentException(
              "put the " + key.toLowerCase() + " in the URL (" + FORM + "), not in its query");
        }
        properties.put(key, decode(pair.substring(eq + 1), "query value"));
      }
    }
    PostgresUrl url = new PostgresUrl(user, password, host, port, database, properties);
    url.poolSize(); // checks pool=N now, with the URL in the message
    return url;
  }

  /**
   * The {@code pool=N} query parameter: connections this process keeps, if the URL sets it.
   *
   * @throws IllegalArgumentException when it is not a whole number in 1..{@value #MAX_POOL}
   */
  public OptionalInt poolSize() {
    String v = properties.get(POOL);
    if (v == null) {
      return OptionalInt.empty();
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > MAX_POOL) {
      throw new IllegalArgumentException(
          "the query parameter pool of '"
              + describe()
              + "' is the number of connections this process keeps: a whole number in 1.."
              + MAX_POOL
              + ", got '"
              + v
              + "'");
    }
    return OptionalInt.of(n);
  }

  /** The query parameters for the JDBC driver: all but Knobflow's own ({@code pool}). */
  public Map<String, String> driverProperties() {
    Map<String, String> out = new LinkedHashMap<>(properties);
    out.remove(POOL);
    return out;
  }

  private static String missingPart(String t) {
    if (!t.startsWith(SCHEME)) {
      return "";
    }
    String rest = t.substring(SCHEME.length());
    if (!rest.contains("@")) {
      return " (no USER@ before the host)";
    }
    if (!rest.substring(rest.lastIndexOf('@')).contains("/")) {
      return " (no /DB after the host)";
    }
    return "";
  }

  private static String decode(String part, String what) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + what + " is not valid percent-encoding");
    }
  }

  /** The JDBC URL, without user or password (those go to the driver as properties). */
  public String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  /**
   * The password to use: the URL's, else {@code PGPASSWORD} from {@code env}; empty means the
   * driver looks it up in {@code PGPASSFILE} or {@code ~/.pgpass} (PgJDBC's {@code PgPassParser}).
   */
  public Optional<String> passwordFrom(Map<String, String> env) {
    if (password != null) {
      return Optional.of(password);
    }
    String fromEnv = env.get("PGPASSWORD");
    return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(fromEnv);
  }

  /** The URL with the password masked, e.g. {@code postgresql://knobflow:***@db:5432/studies}. */
  public String describe() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    String query =
        properties.isEmpty()
            ? ""
            : "?"
                + String.join(
                    "&",
                    properties.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    return SCHEME
        + user
        + (password == null ? "" : ":" + MASK)
        + "@"
        + h
        + ":"
        + port
        + "/"
        + database
        + query;
  }

  /** The same as {@link #describe()}: a record's default would print the password. */
  @Override
  public String toString() {
    return describe();
  }

  /** {@code text} with the password of every URL in it ({@code scheme://user:password@}) masked. */
  public static String redact(String text) {
    if (text == null || !text.contains("://")) {
      return text;
    }
    return PASSWORD_IN_TEXT.matcher(text).replaceAll("$1" + MASK + "$3");
  }
}
