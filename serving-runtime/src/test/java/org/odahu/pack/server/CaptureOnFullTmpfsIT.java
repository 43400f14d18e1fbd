package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * The server capturing onto a real 1 MiB tmpfs that fills up under load and then gets space back
 * (issue 11 #5). Mounting needs root: elsewhere the test is skipped, and {@code CaptureFullDiskIT}
 * covers the same logic with a file size limit.
 */
class CaptureOnFullTmpfsIT {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path temp;

  /** What the feedback requests got: status by request id. */
  private final Map<String, Integer> feedback = new ConcurrentHashMap<>();

  @Test
  void onAFullDiskLinesStayWholeCountsStayExactAndLostFeedbackIsNeverAcknowledged()
      throws Exception {
    Path mount = Files.createDirectories(temp.resolve("tmpfs"));
    String mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(mounted == null, () -> "cannot mount a tmpfs here: " + mounted);
    try {
      Path filler = mount.resolve("filler");
      Files.write(filler, new byte[640 << 10]);
      Path capture = mount.resolve("capture");
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ModelServer server =
          ModelServer.start(
              ModelServerIT.config(Examples.artifact("echo")).captureDir(capture).build(),
              registry,
              new PrintStream(OutputStream.nullOutputStream()));
      Set<String> acknowledgedAfterSpaceReturned = new HashSet<>();
      try {
        server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        ModelServerIT.Client client = new ModelServerIT.Client(server.port());
        loadUntil(client, () -> count(502) >= 5 && metric(registry, "dropped") > 0);
        Files.delete(filler);
        Set<String> before = Set.copyOf(feedback.keySet());
        loadUntil(client, () -> acknowledgedSince(before) >= 20);
        feedback.forEach(
            (id, status) -> {
              if (status == 200 && !before.contains(id)) {
                acknowledgedAfterSpaceReturned.add(id);
              }
            });
      } finally {
        server.shutdown();
      }
      List<JsonNode> records = readBack(capture);
      assertEquals((long) metric(registry, "written"), records.size(), "written = readable");
      assertTrue(metric(registry, "dropped") > 0, "the disk never filled up");
      Set<String> storedFeedback = new HashSet<>();
      for (JsonNode record : records) {
        if (record.has("payload")) {
          storedFeedback.add(record.get("request_id").asText());
        }
      }
      feedback.forEach(
          (id, status) ->
              assertTrue(
                  status != 200 || storedFeedback.contains(id), "acknowledged, lost: " + id));
      assertTrue(storedFeedback.containsAll(acknowledgedAfterSpaceReturned));
      assertTrue(count(502) >= 5);
    } finally {
      run("umount", mount.toString());
    }
  }

  /** Four clients invoke (a ~2 kB body) and send feedback for each answer until {@code done}. */
  private void loadUntil(ModelServerIT.Client client, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String body = "{\"data\":[[\"" + "x".repeat(2000) + "\"]]}";
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      clients.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!done.getAsBoolean() && System.nanoTime() < until) {
                      HttpResponse<String> invoked = client.invoke(body);
                      assertEquals(200, invoked.statusCode(), invoked.body());
                      String id = invoked.headers().firstValue("Request-ID").orElseThrow();
                      HttpResponse<String> answer =
                          client.post(
                              "/api/v1/feedback/model/echo",
                              "{\"truth\":\"" + "y".repeat(500) + "\"}",
                              "request-id",
                              id,
                              "model-name",
                              "echo",
                              "model-version",
                              "1.0");
                      assertTrue(
                          answer.statusCode() == 200
                              || answer.body().equals("{\"error\":\"Cannot deliver message\"}"),
                          answer.statusCode() + " " + answer.body());
                      feedback.put(id, answer.statusCode());
                    }
                  }));
    }
    for (Thread thread : clients) {
      thread.join();
    }
    assertTrue(
        done.getAsBoolean(),
        () ->
            "not reached in 90 s; feedback answers by status: "
                + feedback.values().stream()
                    .collect(Collectors.groupingBy(status -> status, Collectors.counting())));
  }

  private long count(int status) {
    return feedback.values().stream().filter(s -> s == status).count();
  }

  private int acknowledgedSince(Set<String> before) {
    int acknowledged = 0;
    for (Map.Entry<String, Integer> entry : feedback.entrySet()) {
      acknowledged += entry.getValue() == 200 && !before.contains(entry.getKey()) ? 1 : 0;
    }
    return acknowledged;
  }

  private static double metric(PrometheusMeterRegistry registry, String which) {
    return BatchingOptInIT.value(registry.scrape(), "odahu_capture_" + which + "_records_total");
  }

  /** Every capture line, each required to be one whole JSON object. */
  private static List<JsonNode> readBack(Path capture) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(capture)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String text = Files.readString(file);
        assertTrue(text.isEmpty() || text.endsWith("\n"), file + " ends mid-line");
        for (String line : text.lines().toList()) {
          JsonNode record;
          try {
            record = STRICT.readTree(line);
          } catch (IOException e) {
            throw new AssertionError("not one whole record in " + file + ": " + line, e);
          }
          assertTrue(record.isObject() && record.has("request_id"), line);
          records.add(record);
        }
      }
    }
    return records;
  }

  /** Runs a command; returns {@code null} on success, else its exit status and output. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0 ? null : "exit " + process.exitValue() + ": " + out.strip();
  }
}
