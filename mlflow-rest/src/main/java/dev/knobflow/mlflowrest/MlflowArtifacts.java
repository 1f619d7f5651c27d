package dev.knobflow.mlflowrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Uploads, lists, downloads and deletes run artifacts over HTTP, never through a Python subprocess.
 *
 * <p>A run whose artifact root is {@code mlflow-artifacts:/...} (a server started with artifact
 * serving, the MLflow 2+ default) gets its files by {@code PUT
 * {trackingUri}/api/2.0/mlflow-artifacts/artifacts/<root path>/<artifact path>}; an {@code
 * http(s)://} root is written to directly; a {@code file:} or plain-path root (server and client
 * sharing a file system) gets the files copied there. Other stores (s3, gs, ...) are refused with a
 * message saying how to proxy them through the server.
 */
public final class MlflowArtifacts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROXY_PATH = "/api/2.0/mlflow-artifacts/artifacts/";

  private final MlflowConnection connection;
  private final HttpClient http;
  private final Retrier retrier;
  private final Function<String, String> artifactRootOfRun;
  private final Duration requestTimeout;
  private final Map<String, String> roots = new ConcurrentHashMap<>();

  MlflowArtifacts(
      MlflowConnection connection,
      HttpClient http,
      Retrier retrier,
      Function<String, String> artifactRootOfRun,
      Duration requestTimeout) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.http = Objects.requireNonNull(http, "http");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
    this.artifactRootOfRun = Objects.requireNonNull(artifactRootOfRun, "artifactRootOfRun");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * Uploads {@code file} as {@code <directory>/<file name>} among the run's artifacts.
   *
   * @param directory artifact directory, {@code ""} for the root
   */
  public void upload(String runId, Path file, String directory) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file is not a regular file: " + file);
    }
    put(runId, join(directory, file.getFileName().toString()), file);
  }

  /** Uploads every file under {@code dir}, keeping relative paths, below {@code directory}. */
  public void uploadDirectory(String runId, Path dir, String directory) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("dir is not a directory: " + dir);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    for (Path file : files) {
      String relative = dir.relativize(file).toString().replace('\\', '/');
      put(runId, join(directory, relative), file);
    }
  }

  /**
   * Stores {@code content} as the artifact {@code artifactPath} (e.g. {@code report/index.html}).
   */
  public void uploadBytes(String runId, String artifactPath, byte[] content) {
    Objects.requireNonNull(content, "content");
    String path = normalise(artifactPath);
    String root = root(runId);
    URI target = uploadTarget(root, path);
    if (target == null) {
      Path destination = localRoot(root).resolve(path);
      write(destination, out -> Files.write(out, content));
      return;
    }
    send("upload artifact " + path, target, HttpRequest.BodyPublishers.ofByteArray(content));
  }

  /** Lists the run's artifacts directly under {@code path} ({@code ""} for the root). */
  public List<ArtifactInfo> list(String runId, String path) {
    requireRunId(runId);
    String query =
        "?run_id="
            + encode(runId)
            + (path == null || path.isEmpty() ? "" : "&path=" + encode(path));
    URI uri = connection.resolve("/api/2.0/mlflow/artifacts/list" + query);
    String body =
        retrier.call(
            "list artifacts of run " + runId,
            () -> {
              HttpResponse<String> response =
                  http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
              checkStatus("list artifacts of run " + runId, response.statusCode(), response.body());
              return response.body();
            });
    try {
      JsonNode files = JSON.readTree(body).path("files");
      List<ArtifactInfo> result = new ArrayList<>();
      for (JsonNode f : files) {
        result.add(
            new ArtifactInfo(
                f.path("path").asText(),
                f.path("is_dir").asBoolean(),
                f.path("file_size").asLong()));
      }
      return result;
    } catch (IOException e) {
      throw new MlflowTrackingException("unreadable artifact listing from " + uri, 0, null, e);
    }
  }

  /**
   * Downloads the artifact {@code artifactPath} of the run into {@code into}: a file lands as
   * {@code into/<file name>}, a directory's files keep their paths relative to it.
   *
   * @return the number of files written
   */
  public int download(String runId, String artifactPath, Path into) {
    String path = normalise(artifactPath);
    List<ArtifactInfo> entries = list(runId, path);
    boolean file =
        entries.isEmpty()
            || (entries.size() == 1
                && !entries.get(0).directory()
                && normalise(entries.get(0).path()).equals(path));
    if (file) {
      // A file lists as nothing or as itself; a missing path fails the GET with the server's 404.
      fetch(runId, path, into.resolve(path.substring(path.lastIndexOf('/') + 1)));
      return 1;
    }
    return downloadEntries(runId, path, entries, into);
  }

  private int downloadEntries(String runId, String dir, List<ArtifactInfo> entries, Path target) {
    int written = 0;
    for (ArtifactInfo entry : entries) {
      String child = normalise(entry.path());
      Path destination = target.resolve(child.substring(dir.length() + 1));
      if (entry.directory()) {
        written += downloadEntries(runId, child, list(runId, child), destination);
      } else {
        fetch(runId, child, destination);
        written++;
      }
    }
    return written;
  }

  private void fetch(String runId, String path, Path destination) {
    String root = root(runId);
    URI source = uploadTarget(root, path);
    if (source == null) {
      Path file = localRoot(root).resolve(path);
      write(destination, out -> Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING));
      return;
    }
    String operation = "download artifact " + path;
    retrier.run(
        operation,
        () -> {
          HttpResponse<byte[]> response =
              http.send(request(source).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
          checkStatus(
              operation,
              response.statusCode(),
              new String(response.body(), StandardCharsets.UTF_8));
          write(destination, out -> Files.write(out, response.body()));
        });
  }

  /**
   * Deletes the artifact {@code artifactPath} (a file or a whole directory) of the run; deleting
   * what does not exist does nothing. Proxied roots use {@code DELETE
   * /api/2.0/mlflow-artifacts/artifacts/...}, which the server must allow (it does unless started
   * with {@code --artifacts-only} restrictions or a store without deletes).
   */
  public void delete(String runId, String artifactPath) {
    String path = normalise(artifactPath);
    String root = root(runId);
    URI target = uploadTarget(root, path);
    if (target == null) {
      Path local = localRoot(root).resolve(path);
      try (Stream<Path> walk = Files.exists(local) ? Files.walk(local) : Stream.empty()) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete artifact " + local, e);
      }
      return;
    }
    String operation = "delete artifact " + path;
    retrier.run(
        operation,
        () -> {
          HttpResponse<String> response =
              http.send(request(target).DELETE().build(), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 404) {
            checkStatus(operation, response.statusCode(), response.body());
          }
        });
  }

  private void put(String runId, String artifactPath, Path file) {
    String path = normalise(artifactPath);
    String root = root(runId);
    URI target = uploadTarget(root, path);
    if (target == null) {
      Path destination = localRoot(root).resolve(path);
      write(destination, out -> Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING));
      return;
    }
    send(
        "upload artifact " + path,
        target,
        () -> {
          try {
            return HttpRequest.BodyPublishers.ofFile(file);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private void send(String operation, URI target, HttpRequest.BodyPublisher body) {
    send(operation, target, () -> body);
  }

  private void send(
      String operation, URI target, java.util.function.Supplier<HttpRequest.BodyPublisher> body) {
    retrier.run(
        operation,
        () -> {
          HttpRequest request =
              request(target)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(body.get())
                  .build();
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          checkStatus(operation, response.statusCode(), response.body());
        });
  }

  /** The HTTP URL to PUT {@code path} to, or {@code null} for a local root. */
  @Nullable URI uploadTarget(String root, String path) {
    URI rootUri = parseRoot(root);
    String scheme = rootUri.getScheme();
    if (scheme == null || scheme.equals("file")) {
      return null;
    }
    if (scheme.equals("mlflow-artifacts")) {
      String rootPath = trimSlashes(rootUri.getRawPath());
      return connection.resolve(PROXY_PATH + rootPath + "/" + encodePath(path));
    }
    if (scheme.equals("http") || scheme.equals("https")) {
      return URI.create(root.replaceAll("/+$", "") + "/" + encodePath(path));
    }
    throw new MlflowTrackingException(
        "Run artifact root '"
            + root
            + "' uses the '"
            + scheme
            + "' store, which Knobflow does not write to directly. Start the MLflow server with"
            + " --artifacts-destination "
            + scheme
            + "://... (artifact serving) so that runs get mlflow-artifacts:/ roots.",
        0,
        null,
        null);
  }

  private Path localRoot(String root) {
    URI rootUri = parseRoot(root);
    return rootUri.getScheme() == null ? Path.of(root) : Path.of(rootUri);
  }

  private static URI parseRoot(String root) {
    if (root.startsWith("/")) {
      return URI.create("file://" + root.replace(" ", "%20"));
    }
    return URI.create(root);
  }

  private interface FileWriter {
    void write(Path destination) throws IOException;
  }

  private static void write(Path destination, FileWriter writer) {
    try {
      Files.createDirectories(destination.getParent());
      writer.write(destination);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + destination, e);
    }
  }

  private String root(String runId) {
    requireRunId(runId);
    return roots.computeIfAbsent(runId, artifactRootOfRun);
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
    connection
        .credentials()
        .authorizationHeader()
        .ifPresent(h -> builder.header("Authorization", h));
    return builder;
  }

  private void checkStatus(String operation, int status, String body) {
    if (status / 100 != 2) {
      throw MlflowFailures.describeHttp(operation, connection, status, body, null);
    }
  }

  /** Rejects absolute paths and {@code ..} so nothing escapes the run's artifact root. */
  static String normalise(String artifactPath) {
    Objects.requireNonNull(artifactPath, "artifactPath");
    String path = trimSlashes(artifactPath.replace('\\', '/'));
    if (path.isEmpty()) {
      throw new IllegalArgumentException("artifactPath must name a file");
    }
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "artifactPath must be a relative path without '.', '..' or empty segments: "
                + artifactPath);
      }
    }
    return path;
  }

  private static String join(String directory, String name) {
    String dir = directory == null ? "" : trimSlashes(directory.replace('\\', '/'));
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static String trimSlashes(String text) {
    String result = text == null ? "" : text;
    while (result.startsWith("/")) {
      result = result.substring(1);
    }
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  private static String encodePath(String path) {
    List<String> parts = new ArrayList<>();
    for (String segment : path.split("/")) {
      parts.add(encode(segment).replace("+", "%20"));
    }
    return String.join("/", parts);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void requireRunId(String runId) {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
  }
}
