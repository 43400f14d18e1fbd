package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.batch.InvokeMain;
import org.odahu.pack.server.testing.ServerMainCommand;

/**
 * The docker-rest entrypoint with {@code ODAHU_LOG_FORMAT=json} in a JVM of its own: every line it
 * writes, server log and access log, start to stop, is one JSON object.
 */
class JsonLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Pattern SERVING =
      Pattern.compile("Serving wine 1\\.0 on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path temp;

  /** A stream's lines, collected on a thread of its own until the stream ends. */
  private record Drain(List<String> lines, Thread thread) {
    /** Waits for the end of the stream. */
    List<String> all() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), "the stream did not end");
      return lines;
    }
  }

  private static Drain drain(InputStream stream) {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
              } catch (IOException e) {
                lines.add("drain failed: " + e);
              }
            });
    thread.setDaemon(true);
    thread.start();
    return new Drain(lines, thread);
  }

  private static List<JsonNode> parseEach(List<String> lines) {
    List<JsonNode> objects = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        try {
          JsonNode object = JSON.readTree(line);
          assertTrue(object.isObject(), line);
          for (String field : List.of("time", "level", "logger", "message")) {
            assertTrue(object.hasNonNull(field), field + " missing: " + line);
          }
          objects.add(object);
        } catch (IOException e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return objects;
  }

  private static int port(List<String> log) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      for (JsonNode line : parseEach(log)) {
        Matcher serving = SERVING.matcher(line.get("message").asText());
        if (serving.matches()) {
          return Integer.parseInt(serving.group(1));
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never served: " + log);
  }

  /** A misconfigured container (a variable that is no port) says so in the log's form too. */
  @Test
  void aSettingMistakeIsOneJsonLine() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(ServerMainCommand.of(Examples.artifact("wine").toString()));
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    builder.environment().put("ODAHU_LOG_FORMAT", "json");
    builder.environment().put("ODAHU_PORT", "eighty");
    Process server = builder.start();
    Drain log = drain(server.getErrorStream());
    Drain out = drain(server.getInputStream());
    assertTrue(server.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, server.exitValue(), log.all().toString());
    assertEquals(List.of(), out.all());
    List<String> lines = log.all();
    assertEquals(1, lines.size(), lines.toString());
    JsonNode line = JSON.readTree(lines.get(0));
    assertEquals("ERROR", line.get("level").asText());
    assertTrue(
        line.get("message").asText().startsWith("Error: Invalid value for option '--port'"),
        line.toString());
    assertTrue(line.get("message").asText().endsWith("--help' for more."), line.toString());
  }

  /** Batch prediction's progress and summary are log records too, not plain lines among them. */
  @Test
  void batchPredictionWritesOnlyJsonLines() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            ServerMainCommand.java(
                System.getProperty("java.class.path"),
                InvokeMain.class,
                "--log-format",
                "json",
                "--python",
                Examples.python().toString(),
                "--model",
                Examples.artifact("wine").resolve("odahuflow_model").toString(),
                "predict",
                Examples.data("wine-request.json").toString(),
                temp.toString()));
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    Process invoke = builder.start();
    Drain log = drain(invoke.getErrorStream());
    Drain out = drain(invoke.getInputStream());
    assertTrue(invoke.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, invoke.exitValue(), log.all().toString());
    assertEquals(1, out.all().size(), out.all().toString());
    List<JsonNode> lines = parseEach(log.all());
    assertTrue(
        lines.stream()
            .anyMatch(line -> line.get("message").asText().startsWith("predicted 1 rows")),
        lines.toString());
  }

  @Test
  void everyLineIsOneJsonObjectWithTheRequestsContext() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            ServerMainCommand.of(
                Examples.artifact("wine").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--python",
                Examples.python().toString(),
                "--capture-dir",
                temp.toString()));
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    builder.environment().put("ODAHU_LOG_FORMAT", "json");
    Process server = builder.start();
    Drain log = drain(server.getErrorStream());
    Drain access = drain(server.getInputStream());
    String traced;
    String failed;
    try {
      ModelServerIT.Client client = new ModelServerIT.Client(port(log.lines()));
      ModelServerIT.waitFor(() -> client.get("/health/ready").statusCode() == 200);
      String wine = ModelServerIT.wineRequest();
      HttpResponse<String> ok =
          client.post(
              "/api/model/invoke", wine, "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
      assertEquals(200, ok.statusCode());
      traced = ok.headers().firstValue("Request-ID").orElseThrow();
      assertEquals(
          200, client.post("/api/model/invoke", wine, "traceparent", "00-garbage").statusCode());
      HttpResponse<String> error = client.post("/api/model/invoke", "{\"data\": [[1]]}");
      assertEquals(500, error.statusCode());
      failed = error.headers().firstValue("Request-ID").orElseThrow();
      assertEquals(200, client.get("/healthcheck").statusCode());
      assertEquals(404, client.get("/nowhere").statusCode());
    } finally {
      // SIGTERM: a graceful stop, logged too (Process.destroy would also close our pipes).
      server.toHandle().destroy();
    }
    assertTrue(server.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, server.exitValue(), String.join("\n", log.all()));

    List<JsonNode> accessLines = parseEach(access.all());
    List<String> requests = accessLines.stream().map(line -> line.get("message").asText()).toList();
    assertTrue(
        requests.stream().noneMatch(r -> r.startsWith("GET /healthcheck")), requests.toString());
    assertTrue(requests.contains("GET /nowhere 404"), requests.toString());
    JsonNode tracedLine = byRequestId(accessLines, traced);
    assertEquals(TRACE_ID, tracedLine.get("trace_id").asText());
    assertEquals("00f067aa0ba902b7", tracedLine.get("span_id").asText());
    assertEquals("wine", tracedLine.get("model_name").asText());
    long untraced = accessLines.stream().filter(line -> !line.has("trace_id")).count();
    assertTrue(untraced >= 3, "the garbage traceparent, the failure, the 404: " + requests);

    List<JsonNode> logLines = parseEach(log.all());
    JsonNode modelError = byRequestId(logLines, failed);
    assertEquals("WARN", modelError.get("level").asText());
    assertEquals("wine", modelError.get("model_name").asText());
    assertEquals("1.0", modelError.get("model_version").asText());
    assertTrue(modelError.get("message").asText().contains("Traceback"), modelError.toString());
    assertTrue(
        logLines.stream().anyMatch(line -> line.get("message").asText().equals("Stopped")),
        "the graceful stop is logged: " + log);
    assertFalse(logLines.isEmpty());
  }

  private static JsonNode byRequestId(List<JsonNode> lines, String requestId) {
    return lines.stream()
        .filter(line -> requestId.equals(line.path("request_id").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line of request " + requestId + ": " + lines));
  }
}
