package dev.knobflow.plugin.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The column encodings: values, attributes and distributions as JSON text (the journal's encoding,
 * so NaN and infinities survive as strings), times as {@code timestamptz} in microseconds.
 */
final class Json {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Json() {}

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot store value as JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StorageException("unreadable JSON in the PostgreSQL storage: " + e.getMessage(), e);
    }
  }

  static List<Double> doubles(String text) {
    JsonNode array = tree(text);
    List<Double> out = new ArrayList<>(array.size());
    for (JsonNode v : array) {
      out.add(DistributionJson.number(v));
    }
    return out;
  }

  static Map<String, Double> metrics(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = tree(text).fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), DistributionJson.number(e.getValue()));
    }
    return out;
  }

  /** An attribute value as the journal returns it: a scalar, a list or a map. */
  static Object plain(String text) {
    JsonNode node = tree(text);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isValueNode()) {
      return DistributionJson.scalar(node);
    }
    return JSON.convertValue(node, Object.class);
  }

  /** The precision the database keeps: microseconds. */
  static Instant micros(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
  }

  static OffsetDateTime timestamp(Instant at) {
    return at == null ? null : OffsetDateTime.ofInstant(micros(at), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
