package dev.knobflow.advisor.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.advisor.ActionKind;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.AdviceSource;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The strict JSON schema the model must answer with, and the parser that checks an answer against
 * it (whatever the endpoint claims to enforce).
 */
final class AnswerSchema {

  static final String NAME = "knobflow_advice";

  private static final List<String> KINDS =
      Arrays.stream(ActionKind.values()).map(Enum::name).toList();

  private AnswerSchema() {}

  static JsonSchema jsonSchema() {
    JsonObjectSchema action =
        JsonObjectSchema.builder()
            .addEnumProperty("kind", KINDS)
            .addStringProperty("parameter", "declared parameter name, or empty")
            .addNumberProperty("low", "SET_RANGE lower bound, else 0")
            .addNumberProperty("high", "SET_RANGE upper bound, else 0")
            .addStringProperty("value", "FIX_VALUE value, else empty")
            .addStringProperty("explanation")
            .required("kind", "parameter", "low", "high", "value", "explanation")
            .additionalProperties(false)
            .build();
    JsonObjectSchema root =
        JsonObjectSchema.builder()
            .addStringProperty("summary")
            .addStringProperty("rationale")
            .addNumberProperty("confidence", "0 to 1")
            .addProperty("actions", JsonArraySchema.builder().items(action).build())
            .required("summary", "rationale", "confidence", "actions")
            .additionalProperties(false)
            .build();
    return JsonSchema.builder().name(NAME).rootElement(root).build();
  }

  /** Thrown when the answer is not JSON or does not match the schema; message is safe to show. */
  static final class InvalidAnswerException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidAnswerException(String message) {
      super(message);
    }
  }

  static Advice parse(String text, AdviceSource source, ObjectMapper mapper)
      throws InvalidAnswerException {
    if (text == null || text.isBlank()) {
      throw new InvalidAnswerException("the model returned no content (empty or refused answer)");
    }
    JsonNode root;
    try {
      root = mapper.readTree(text.strip());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidAnswerException("the answer is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidAnswerException("the answer is not a JSON object");
    }
    String summary = text(root, "summary", "answer");
    String rationale = text(root, "rationale", "answer");
    JsonNode confidenceNode = root.get("confidence");
    if (confidenceNode == null || !confidenceNode.isNumber()) {
      throw new InvalidAnswerException("schema violation: confidence must be a number");
    }
    JsonNode actionsNode = root.get("actions");
    if (actionsNode == null || !actionsNode.isArray()) {
      throw new InvalidAnswerException("schema violation: actions must be an array");
    }
    List<String> notes = new ArrayList<>();
    double confidence = confidenceNode.asDouble();
    if (!(confidence >= 0 && confidence <= 1)) {
      double clamped = Double.isNaN(confidence) ? 0 : Math.max(0, Math.min(1, confidence));
      notes.add("Confidence " + confidence + " clamped to " + clamped + ".");
      confidence = clamped;
    }
    List<AdviceAction> actions = new ArrayList<>();
    int index = 0;
    for (JsonNode a : actionsNode) {
      String where = "actions[" + index++ + "]";
      if (!a.isObject()) {
        throw new InvalidAnswerException("schema violation: " + where + " must be an object");
      }
      String kind = text(a, "kind", where);
      if (!KINDS.contains(kind)) {
        throw new InvalidAnswerException("schema violation: " + where + ".kind is not an action");
      }
      String explanation = a.hasNonNull("explanation") ? a.get("explanation").asText() : "";
      String parameter = a.hasNonNull("parameter") ? a.get("parameter").asText() : "";
      switch (ActionKind.valueOf(kind)) {
        case STOP_TRIAL -> actions.add(new AdviceAction.StopTrial(explanation));
        case NONE -> actions.add(new AdviceAction.NoAction(explanation));
        case SET_RANGE -> {
          requireParameter(parameter, where);
          actions.add(
              new AdviceAction.SetRange(
                  parameter, number(a, "low", where), number(a, "high", where), explanation));
        }
        case FIX_VALUE -> {
          requireParameter(parameter, where);
          String value = text(a, "value", where);
          if (value.isBlank()) {
            throw new InvalidAnswerException("schema violation: " + where + ".value is empty");
          }
          actions.add(new AdviceAction.FixValue(parameter, value, explanation));
        }
        default -> throw new IllegalStateException("unhandled kind " + kind);
      }
    }
    return new Advice(summary, actions, rationale, confidence, source, null, notes);
  }

  private static void requireParameter(String parameter, String where)
      throws InvalidAnswerException {
    if (parameter.isBlank()) {
      throw new InvalidAnswerException("schema violation: " + where + ".parameter is empty");
    }
  }

  private static String text(JsonNode node, String field, String where)
      throws InvalidAnswerException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidAnswerException(
          "schema violation: " + where + "." + field + " must be a string");
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field, String where)
      throws InvalidAnswerException {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new InvalidAnswerException(
          "schema violation: " + where + "." + field + " must be a number");
    }
    return v.asDouble();
  }
}
