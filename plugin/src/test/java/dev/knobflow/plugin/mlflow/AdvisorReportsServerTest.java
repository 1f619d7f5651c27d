package dev.knobflow.plugin.mlflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.plugin.TuneSession;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The advisor's reports on a tracked study: artifacts, descriptions, and no key on the server. */
@Tag("mlflow")
class AdvisorReportsServerTest {

  private static final String KEY = "sk-test-SECRET-9321-do-not-leak";
  private static final String ENV = "KNOBFLOW_TEST_LLM_KEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Loss grows for lr > 1 (the advisor sees DIVERGING) and decays otherwise. */
  private static final String CURVE_PY =
      """
      import json, os
      lr = json.loads(os.environ["KNOBFLOW_PARAMS"])["lr"]
      loss = 1.0
      for step in range(16):
          loss = loss * (1.3 + 0.1 * lr) if lr > 1 else loss * (1 - 0.4 * lr / (1 + lr)) + 0.001
          print(json.dumps({"step": step, "loss": loss}), flush=True)
      print(json.dumps({"loss": loss}), flush=True)
      """;

  private static MlflowTracking tracking;
  private static String uri;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    uri = MlflowTestServer.shared().trackingUri();
    tracking = MlflowTracking.open(MlflowConnection.of(uri));
  }

  @AfterAll
  static void disconnect() {
    tracking.close();
  }

  private Path studyFile(String name, String extra) throws Exception {
    Files.writeString(dir.resolve("curve.py"), CURVE_PY);
    return Files.writeString(
        dir.resolve("study.yaml"),
        """
        name: %s
        storage: memory
        seed: 3
        objectives: [{name: loss, direction: minimize}]
        sampler: {type: random}
        trials: 3
        space:
          lr: {type: float, low: 2.0, high: 10.0, log: true}
        objective:
          command: [python3, curve.py]
        tracking: {uri: "%s", experiment: %s}
        %s
        """
            .formatted(name, uri, name, extra));
  }

  @Test
  void reportsAreArtifactsOfTheTrialRunsAndTheStudyRunAndJoinTheDescriptions() throws Exception {
    String name = "advised-" + UUID.randomUUID().toString().substring(0, 8);
    Path file = studyFile(name, "advisor: {mode: apply}");
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int exit = cl.execute("tune", file.toString());
    assertEquals(0, exit, out.toString());

    String experiment = tracking.runs().findExperimentId(name).orElseThrow();
    RunRecord parent =
        tracking.runs().searchRuns(List.of(experiment), KnobflowTags.studyRunFilter(name)).get(0);
    List<RunRecord> trials =
        tracking.runs().searchRuns(List.of(experiment), KnobflowTags.trialRunFilter(name));
    assertEquals(3, trials.size());
    for (RunRecord trial : trials) {
      String n = trial.tags().get(KnobflowTags.TRIAL);
      List<String> files = paths(trial.runId(), "advisor");
      assertTrue(
          files.stream().anyMatch(p -> p.matches("advisor/trial-" + n + "-step-\\d+\\.md")),
          "trial " + n + ": " + files);
      assertTrue(
          files.stream().anyMatch(p -> p.matches("advisor/trial-" + n + "-step-\\d+\\.json")),
          "trial " + n + ": " + files);
      String description = trial.tags().get(MlflowTags.NOTE);
      assertTrue(description.startsWith("## Advisor"), description);
      assertTrue(description.contains("DIVERGING"), description);
      String md =
          download(trial.runId(), files.stream().filter(p -> p.endsWith(".md")).findFirst().get());
      assertTrue(md.contains("What Knobflow did (mode: apply)"), md);
    }
    assertTrue(paths(parent.runId(), "advisor").contains("advisor/summary.md"));
    assertTrue(download(parent.runId(), "advisor/summary.md").contains("DIVERGING"));
    String description = parent.tags().get(MlflowTags.NOTE);
    int summary = description.indexOf("## Knobflow study `" + name + "`");
    int advisor = description.indexOf("## Advisor");
    assertTrue(summary == 0 && advisor > summary, description);
    assertTrue(description.contains("Trials: "), description);
    assertTrue(description.substring(advisor).contains("DIVERGING"), description);
    assertTrue(description.length() <= 8000);
  }

  @Test
  void theLlmKeyReachesNoParamTagDescriptionOrArtifactOnTheServer() throws Exception {
    WireMockServer wm = new WireMockServer(wireMockConfig().dynamicPort());
    wm.start();
    try {
      String answer =
          "{\"summary\":\"Stop and cap lr.\",\"rationale\":\"the loss grows\",\"confidence\":0.9,"
              + "\"actions\":[{\"kind\":\"STOP_TRIAL\",\"parameter\":\"\",\"low\":0,\"high\":0,"
              + "\"value\":\"\",\"explanation\":\"diverging\"}]}";
      wm.stubFor(
          post(urlEqualTo("/v1/chat/completions"))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withHeader("Content-Type", "application/json")
                      .withBody(completion(answer))));
      String name = "advised-llm-" + UUID.randomUUID().toString().substring(0, 8);
      Path file =
          studyFile(
              name,
              """
              advisor:
                mode: report
                llm: {base_url: "%s/v1", model: test-model, api_key_env: %s, timeout: 5, max_retries: 0}
              """
                  .formatted(wm.baseUrl(), ENV));
      StudyConfig config = StudyFileParser.standard().parse(file);
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put(ENV, KEY);
      try (TuneSession session = TuneSession.open(file, config, env, b -> {})) {
        session.run();
      }
      assertEquals(
          "Bearer " + KEY, wm.getAllServeEvents().get(0).getRequest().getHeader("Authorization"));

      String experiment = tracking.runs().findExperimentId(name).orElseThrow();
      List<RunRecord> runs = new ArrayList<>();
      runs.addAll(
          tracking.runs().searchRuns(List.of(experiment), KnobflowTags.studyRunFilter(name)));
      runs.addAll(
          tracking.runs().searchRuns(List.of(experiment), KnobflowTags.trialRunFilter(name)));
      assertEquals(4, runs.size());
      int artifacts = 0;
      boolean llmAdviceSeen = false;
      for (RunRecord r : runs) {
        RunRecord run = tracking.runs().getRun(r.runId());
        Map<String, String> texts = new LinkedHashMap<>();
        run.params().forEach((k, v) -> texts.put("param " + k, k + "=" + v));
        run.tags().forEach((k, v) -> texts.put("tag " + k, k + "=" + v));
        for (String path : allPaths(run.runId(), "")) {
          texts.put("artifact " + path, download(run.runId(), path));
          artifacts++;
        }
        for (Map.Entry<String, String> e : texts.entrySet()) {
          assertFalse(e.getValue().contains("SECRET-9321"), "key in " + e.getKey());
          llmAdviceSeen |= e.getKey().endsWith(".json") && e.getValue().contains("test-model");
        }
        assertTrue(run.tags().get(MlflowTags.NOTE).contains("## Advisor"), run.runId());
      }
      assertTrue(artifacts >= 7, "3 trials x (md + json) + summary, got " + artifacts);
      assertTrue(llmAdviceSeen, "no report shows the LLM's advice");
    } finally {
      wm.stop();
    }
  }

  private static List<String> paths(String runId, String path) {
    return tracking.artifacts().list(runId, path).stream().map(ArtifactInfo::path).toList();
  }

  private static List<String> allPaths(String runId, String path) {
    List<String> files = new ArrayList<>();
    for (ArtifactInfo a : tracking.artifacts().list(runId, path)) {
      if (a.directory()) {
        files.addAll(allPaths(runId, a.path()));
      } else {
        files.add(a.path());
      }
    }
    return files;
  }

  /** An artifact's content through the server's {@code get-artifact} route (as the UI reads it). */
  private static String download(String runId, String path) throws Exception {
    URI target =
        URI.create(
            uri
                + "/get-artifact?run_uuid="
                + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                + "&path="
                + URLEncoder.encode(path, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(target).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  private static String completion(String content) throws Exception {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", content);
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", "stop");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "chatcmpl-knobflow");
    body.put("object", "chat.completion");
    body.put("created", 1736000000);
    body.put("model", "test-model");
    body.put("choices", List.of(choice));
    body.put("usage", Map.of("prompt_tokens", 10, "completion_tokens", 10, "total_tokens", 20));
    return JSON.writeValueAsString(body);
  }
}
