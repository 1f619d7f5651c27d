package dev.knobflow.optimizers.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Converts distributions and parameter values to and from plain JSON-ready maps. */
public final class DistributionJson {

  private DistributionJson() {}

  /** A JSON-ready map: {@code {"type": "float", "low": .., "high": .., "log": .., "step": ..}}. */
  public static Map<String, Object> toMap(Distribution distribution) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("type", distribution.typeName());
    if (distribution instanceof FloatDistribution f) {
      map.put("low", f.low());
      map.put("high", f.high());
      map.put("log", f.log());
      if (f.hasStep()) {
        map.put("step", f.step());
      }
    } else if (distribution instanceof IntDistribution i) {
      map.put("low", i.low());
      map.put("high", i.high());
      map.put("log", i.log());
      map.put("step", i.step());
    } else if (distribution instanceof CategoricalDistribution c) {
      map.put("choices", c.choices());
    }
    return map;
  }

  /** Reads what {@link #toMap} wrote. */
  public static Distribution fromJson(JsonNode node) {
    String type = node.path("type").asText();
    return switch (type) {
      case "float" ->
          new FloatDistribution(
              node.path("low").asDouble(),
              node.path("high").asDouble(),
              node.path("log").asBoolean(false),
              node.path("step").asDouble(0));
      case "int" ->
          new IntDistribution(
              node.path("low").asLong(),
              node.path("high").asLong(),
              node.path("log").asBoolean(false),
              node.path("step").asLong(1));
      case "categorical" -> {
        List<Object> choices = new ArrayList<>();
        for (JsonNode choice : node.path("choices")) {
          choices.add(scalar(choice));
        }
        yield new CategoricalDistribution(choices);
      }
      default -> throw new IllegalArgumentException("unknown distribution type '" + type + "'");
    };
  }

  /** A JSON scalar as a Java value: String, Boolean, Long or Double. */
  public static @Nullable Object scalar(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.asText();
  }

  /** The canonical Java value of a parameter for its distribution (Double, Long or a choice). */
  public static Object canonicalValue(Distribution distribution, Object value) {
    if (distribution instanceof CategoricalDistribution) {
      return CategoricalDistribution.normalise(value);
    }
    if (distribution instanceof IntDistribution) {
      return ((Number) value).longValue();
    }
    return ((Number) value).doubleValue();
  }

  /** A double that may have been written as a string ({@code "NaN"}, {@code "Infinity"}). */
  public static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return Double.parseDouble(node.textValue());
    }
    if (node.isNull()) {
      return Double.NaN;
    }
    throw new IllegalArgumentException("not a number: " + node);
  }
}
