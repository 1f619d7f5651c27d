package dev.knobflow.advisor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.AdviceSource;
import dev.knobflow.advisor.AdviceValidator;
import dev.knobflow.advisor.Advisor;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an OpenAI-compatible endpoint (through langchain4j's {@link OpenAiChatModel}) for advice
 * with a strict JSON-schema response format, validates the answer against the declared space, and
 * falls back to another advisor (normally the rules) on any failure: missing key, call cap, repeat
 * consultation, timeout, HTTP errors, empty, refused or malformed answers. The fallback advice
 * records why in {@link Advice#fallbackReason()}.
 *
 * <p>The API key is read once from the environment variable named in {@link LlmConfig} and is
 * handed only to the HTTP client; it is never logged, put in exceptions, {@code toString()} or
 * advice.
 */
public final class LlmAdvisor implements Advisor {

  private static final Logger LOG = LoggerFactory.getLogger(LlmAdvisor.class);

  private final LlmConfig config;
  private final ConsultationLedger ledger;
  private final Advisor fallback;
  private final ChatModel model;
  private final String missingKeyReason;
  private final ObjectMapper mapper = new ObjectMapper();
  private final PromptBuilder prompts = new PromptBuilder(mapper);
  private final ResponseFormat responseFormat =
      ResponseFormat.builder()
          .type(ResponseFormatType.JSON)
          .jsonSchema(AnswerSchema.jsonSchema())
          .build();

  private LlmAdvisor(
      LlmConfig config,
      ConsultationLedger ledger,
      Advisor fallback,
      Function<String, String> environment) {
    this.config = Objects.requireNonNull(config, "config");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    String key = environment.apply(config.apiKeyEnv());
    if (key == null || key.isBlank()) {
      this.model = null;
      this.missingKeyReason =
          "environment variable " + config.apiKeyEnv() + " (advisor.llm.api_key_env) is not set";
    } else {
      this.missingKeyReason = null;
      this.model =
          OpenAiChatModel.builder()
              .baseUrl(config.baseUrl())
              .modelName(config.model())
              .apiKey(key)
              .timeout(config.timeout())
              .maxRetries(config.maxRetries())
              .strictJsonSchema(true)
              .logRequests(false)
              .logResponses(false)
              .build();
    }
  }

  /**
   * Creates an advisor reading the key from the process environment.
   *
   * @param config endpoint settings
   * @param ledger the study's call bookkeeping, owned by the caller
   * @param fallback advisor used whenever the LLM cannot answer (normally {@code RuleBasedAdvisor})
   * @return the advisor
   */
  public static LlmAdvisor create(LlmConfig config, ConsultationLedger ledger, Advisor fallback) {
    return new LlmAdvisor(config, ledger, fallback, System::getenv);
  }

  /**
   * Creates an advisor reading the key through {@code environment} (tests, embedding).
   *
   * @param config endpoint settings
   * @param ledger the study's call bookkeeping
   * @param fallback advisor used whenever the LLM cannot answer
   * @param environment looks an environment variable up by name
   * @return the advisor
   */
  public static LlmAdvisor create(
      LlmConfig config,
      ConsultationLedger ledger,
      Advisor fallback,
      Function<String, String> environment) {
    return new LlmAdvisor(config, ledger, fallback, environment);
  }

  @Override
  public Advice advise(AdviceRequest request) {
    if (model == null) {
      return fallBack(request, missingKeyReason);
    }
    switch (ledger.tryAcquire(request.trialNumber(), request.diagnosis().kind())) {
      case CAP_REACHED:
        return fallBack(
            request, "LLM call cap reached (" + ledger.maxCalls() + " calls per study)");
      case ALREADY_CONSULTED:
        return fallBack(
            request,
            "LLM already consulted for trial "
                + request.trialNumber()
                + " with diagnosis "
                + request.diagnosis().kind());
      default:
        break;
    }
    ChatResponse response;
    try {
      response =
          model.chat(
              ChatRequest.builder()
                  .messages(
                      SystemMessage.from(PromptBuilder.SYSTEM),
                      UserMessage.from(prompts.userMessage(request)))
                  .responseFormat(responseFormat)
                  .build());
    } catch (RuntimeException e) {
      return fallBack(request, describe(e));
    }
    if (response == null || response.aiMessage() == null) {
      return fallBack(request, "the model returned no message");
    }
    if (response.finishReason() == FinishReason.CONTENT_FILTER) {
      return fallBack(request, "the model refused (content filter)");
    }
    if (response.finishReason() == FinishReason.LENGTH) {
      return fallBack(request, "the answer was cut off (length limit)");
    }
    Advice parsed;
    try {
      parsed =
          AnswerSchema.parse(response.aiMessage().text(), AdviceSource.llm(config.model()), mapper);
    } catch (AnswerSchema.InvalidAnswerException e) {
      return fallBack(request, e.getMessage());
    }
    return AdviceValidator.of(request.space()).validate(parsed);
  }

  private Advice fallBack(AdviceRequest request, String reason) {
    LOG.warn("LLM advice for trial {} fell back to the rules: {}", request.trialNumber(), reason);
    return fallback.advise(request).withFallbackReason(reason);
  }

  /** A safe description: our own words and status codes, never the exception's message. */
  private String describe(RuntimeException e) {
    String retries = " after " + (config.maxRetries() + 1) + " attempt(s)";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.langchain4j.exception.ContentFilteredException) {
        return "the model refused or its answer was filtered";
      }
      if (t instanceof dev.langchain4j.exception.TimeoutException
          || t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.util.concurrent.TimeoutException) {
        return "timeout (" + config.timeout().toMillis() + " ms)" + retries;
      }
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.UnknownHostException
          || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "cannot connect to "
            + config.baseUrl().replaceAll("//[^/@]*@", "//") // never credentials in a URL
            + " ("
            + t.getClass().getSimpleName()
            + (t.getMessage() == null ? "" : ": " + t.getMessage())
            + ")"
            + retries;
      }
      if (t instanceof HttpException http) {
        int status = http.statusCode();
        String what =
            switch (status) {
              case 401, 403 -> "authentication failed";
              case 404 -> "model or endpoint not found";
              case 429 -> "rate limited";
              default -> status >= 500 ? "server error" : "request rejected";
            };
        boolean retried = status == 429 || status >= 500;
        return "HTTP " + status + " (" + what + ")" + (retried ? retries : "");
      }
    }
    if (e instanceof dev.langchain4j.exception.AuthenticationException) {
      return "authentication failed";
    }
    if (e instanceof dev.langchain4j.exception.RateLimitException) {
      return "rate limited" + retries;
    }
    return "LLM call failed (" + e.getClass().getSimpleName() + ")" + retries;
  }

  @Override
  public String toString() {
    return "LlmAdvisor[" + config + ", calls " + ledger.callsMade() + "/" + ledger.maxCalls() + "]";
  }
}
