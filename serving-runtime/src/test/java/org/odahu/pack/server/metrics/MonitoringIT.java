package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.ModelServer;
import org.odahu.pack.server.ServerConfig;

/**
 * A real server (the wine model on CPython, capture on) with real traffic, its {@code /metrics}
 * checked by promtool and scraped by a real Prometheus that evaluates the shipped rules; every
 * expression of the rules and of the dashboard must return data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @TempDir static Path temp;
  private static ModelServer server;

  @BeforeAll
  static void start() throws Exception {
    ServerConfig config =
        ServerConfig.builder(Examples.artifact("wine"))
            .host("127.0.0.1")
            .port(0)
            .python(Examples.python())
            .captureDir(temp.resolve("capture"))
            .accessLog(false)
            .build();
    server =
        ModelServer.start(
            config,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new PrintStream(OutputStream.nullOutputStream()));
    server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    traffic();
  }

  @AfterAll
  static void stop() {
    server.shutdown();
  }

  /** Predictions, a model failure (500), feedback (a capture record), a 404 and probes. */
  private static void traffic() throws IOException, InterruptedException {
    String wine = Files.readString(Examples.data("wine-request.json"));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, send(post("/api/model/invoke", wine)).statusCode());
    }
    assertEquals(500, send(post("/api/model/invoke", "{\"data\": [[1]]}")).statusCode());
    assertEquals(
        200,
        send(post("/api/v1/feedback", "{\"truth\": 6}")
                .header("request-id", "r-1")
                .header("model-name", "wine")
                .header("model-version", "1.0"))
            .statusCode());
    assertEquals(404, send(get("/nowhere")).statusCode());
    assertEquals(200, send(get("/healthcheck")).statusCode());
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(60));
  }

  private static HttpRequest.Builder post(String path, String body) {
    return get(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String metrics() throws IOException, InterruptedException {
    HttpResponse<String> response = send(get("/metrics"));
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** The value of the series that {@code prefix} starts (name and labels) in {@code metrics}. */
  private static double value(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(prefix + " missing\n" + metrics));
  }

  @Test
  @Order(1)
  void theTextFormatPassesPromtoolAndHasWhatOperatorsLookFor() throws Exception {
    String metrics = metrics();
    Promtool.Result lint = Promtool.run(temp, metrics, "check", "metrics");
    assertEquals(0, lint.exitCode(), lint.output());
    assertEquals("", lint.output());

    assertTrue(value(metrics, "process_resident_memory_bytes ") > 10 << 20, metrics);
    assertTrue(value(metrics, "process_cpu_seconds_total ") > 0, metrics);
    assertTrue(value(metrics, "process_open_fds ") > 0, metrics);
    assertTrue(value(metrics, "process_max_fds ") >= value(metrics, "process_open_fds "));
    assertEquals(1.0, value(metrics, "odahu_worker_processes "));
    // A Python worker with scikit-learn loaded holds tens of megabytes.
    assertTrue(value(metrics, "odahu_worker_resident_memory_bytes ") > 20 << 20, metrics);
    assertTrue(value(metrics, "odahu_worker_cpu_seconds_total ") > 0, metrics);
    String version = BuildInfo.version();
    assertNotEquals("unknown", version);
    assertEquals(
        1.0,
        value(
            metrics,
            "odahu_build_info{java_version=\"" + Runtime.version() + "\",version=\"" + version));
    assertEquals(
        1.0,
        value(
            metrics,
            "odahu_model_info{model_name=\"wine\",model_version=\"1.0\",runtime=\"cpython\"}"));
    assertFalse(metrics.contains("process_cpu_time_ns_total"), "replaced");
    assertFalse(metrics.contains("system_cpu_count"), "renamed");
  }

  @Test
  @Order(2)
  void everyExpressionOfTheRulesAndTheDashboardReturnsDataFromARealPrometheus() throws Exception {
    Path rules = temp.resolve(MonitoringFiles.RULES);
    Files.writeString(rules, MonitoringFiles.rules());
    Path dir = Files.createDirectories(temp.resolve("prometheus"));
    try (PrometheusServer prometheus =
        PrometheusServer.start(dir, "127.0.0.1:" + server.port(), rules)) {
      prometheus.awaitQuery(
          "up{job=\"odahu\"}", data -> data.at("/result/0/value/1").asText().equals("1"));
      traffic(); // while Prometheus scrapes: the rates are not zero
      prometheus.awaitQuery(
          "count_over_time(odahu_model_ready[1m])",
          data -> data.at("/result/0/value/1").asDouble() >= 5);

      scrapedAsOpenMetrics(prometheus);
      rulesEvaluateWithoutErrors(prometheus);
      List<String> failures = new ArrayList<>();
      for (String alert : MonitoringExpressions.alerts()) {
        checkReturnsData(prometheus, alert, failures);
      }
      Map<String, String> variables = dashboardVariables(prometheus, failures);
      for (String expression : MonitoringExpressions.dashboard()) {
        checkReturnsData(
            prometheus, MonitoringExpressions.substitute(expression, variables), failures);
      }
      assertEquals(List.of(), failures, prometheus.log());

      JsonNode errors =
          prometheus.query(
              MonitoringExpressions.lhs(MonitoringExpressions.alert("OdahuHighErrorRatio")));
      assertTrue(errors.at("/result/0/value/1").asDouble() > 0, "the 500 counts: " + errors);
    }
  }

  /** Prometheus asked for OpenMetrics and parsed it: info metrics keep their type only there. */
  private static void scrapedAsOpenMetrics(PrometheusServer prometheus) throws Exception {
    JsonNode targets = prometheus.api("/api/v1/targets");
    JsonNode target = targets.at("/activeTargets/0");
    assertEquals("up", target.get("health").asText(), targets.toString());
    assertEquals("", target.get("lastError").asText(), targets.toString());
    JsonNode metadata =
        prometheus.api(
            "/api/v1/targets/metadata?match_target="
                + URLEncoder.encode("{job=\"odahu\"}", StandardCharsets.UTF_8));
    List<String> infos = new ArrayList<>();
    for (JsonNode metric : metadata) {
      if (metric.get("type").asText().equals("info")) {
        infos.add(metric.get("metric").asText());
      }
    }
    assertTrue(infos.contains("odahu_build"), "metadata: " + metadata);
  }

  private static void rulesEvaluateWithoutErrors(PrometheusServer prometheus) throws Exception {
    prometheus.awaitQuery("vector(1)", data -> true);
    JsonNode groups = prometheus.api("/api/v1/rules").get("groups");
    int rules = 0;
    for (JsonNode group : groups) {
      for (JsonNode rule : group.get("rules")) {
        assertEquals("ok", rule.get("health").asText(), rule.toString());
        rules++;
      }
    }
    assertEquals(MonitoringExpressions.alerts().size(), rules, groups.toString());
  }

  private static void checkReturnsData(
      PrometheusServer prometheus, String expression, List<String> failures) throws Exception {
    JsonNode result = prometheus.query(expression).get("result");
    if (result == null || result.isEmpty()) {
      failures.add("no data: " + expression);
      return;
    }
    // With traffic during the scrapes, every series has a number: NaN would hide a dead gauge.
    for (JsonNode series : result) {
      if (series.at("/value/1").asText().equals("NaN")) {
        failures.add("NaN: " + expression + " " + series);
      }
    }
  }

  /**
   * The template variables' values as Grafana would find them: each {@code label_values(selector,
   * label)} asked of Prometheus, earlier variables substituted; the first value is taken.
   */
  private static Map<String, String> dashboardVariables(
      PrometheusServer prometheus, List<String> failures) throws Exception {
    Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__rate_interval", "1m");
    for (JsonNode variable : JSON.readTree(MonitoringFiles.dashboard()).at("/templating/list")) {
      if (!variable.get("type").asText().equals("query")) {
        continue;
      }
      Matcher query = labelValues.matcher(variable.at("/query/query").asText());
      assertTrue(query.matches(), variable.toString());
      String selector = MonitoringExpressions.substitute(query.group(1), values);
      JsonNode found =
          prometheus.api(
              "/api/v1/label/"
                  + query.group(2)
                  + "/values?match[]="
                  + URLEncoder.encode(selector, StandardCharsets.UTF_8));
      if (found.isEmpty()) {
        failures.add("no values: " + variable.get("name").asText() + " " + selector);
        values.put(variable.get("name").asText(), ".*");
      } else {
        values.put(variable.get("name").asText(), found.get(0).asText());
      }
    }
    assertEquals("odahu", values.get("job"));
    assertEquals("127.0.0.1:" + server.port(), values.get("instance"));
    return values;
  }

  @Test
  @Order(3)
  void workersCpuNeverGoesDownWhenAWorkerIsReplaced() throws Exception {
    String before = metrics();
    double cpuBefore = value(before, "odahu_worker_cpu_seconds_total ");
    double restarts = value(before, "odahu_worker_restarts_total ");
    // The Python worker; not a short /bin/sh killing an ended worker's process group.
    ProcessHandle worker =
        ProcessHandle.current()
            .children()
            .filter(child -> child.info().command().orElse("").contains("python"))
            .findFirst()
            .orElseThrow();
    assertTrue(worker.destroyForcibly());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String after = metrics();
    while (value(after, "odahu_worker_restarts_total ") < restarts + 1
        || value(after, "odahu_model_ready ") < 1) {
      assertTrue(System.nanoTime() < until, after);
      Thread.sleep(200);
      after = metrics();
    }
    // The restart is counted when the worker is lost, maybe before its replacement is spawned.
    Optional<ProcessHandle> replacement = replacement(worker);
    while (replacement.isEmpty()) {
      assertTrue(System.nanoTime() < until, "no replacement of worker " + worker.pid());
      Thread.sleep(50);
      replacement = replacement(worker);
    }
    assertNotEquals(worker.pid(), replacement.get().pid());
    double replacementCpu = cpuSeconds(replacement.get().pid());
    Thread.sleep(600); // past the sample the last scrape took
    double cpuAfter = value(metrics(), "odahu_worker_cpu_seconds_total ");
    // The replaced worker's time stays in the total, next to its replacement's start-up.
    assertTrue(
        cpuAfter >= cpuBefore + replacementCpu - 0.011,
        cpuBefore + " + " + replacementCpu + " > " + cpuAfter);
  }

  /** A live child process of this JVM other than {@code worker}. */
  private static Optional<ProcessHandle> replacement(ProcessHandle worker) {
    return ProcessHandle.current()
        .children()
        .filter(child -> child.pid() != worker.pid() && child.isAlive())
        .findFirst();
  }

  /** Utime plus stime of a process, from its /proc entry. */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }
}
