package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in a child JVM capturing to a real S3 API server (s3proxy) through the AWS SDK:
 * acknowledged feedback survives the store being down for a while and SIGTERM under load, and a
 * wrong secret is a clear error that never shows the secret.
 */
class S3CaptureServerIT {
  private static final String BUCKET = "capture";
  private static final String INVOKE = "{\"columns\":[\"a\"],\"data\":[[\"x\"]]}";

  @TempDir Path temp;
  private S3ProxyServer s3;

  @BeforeEach
  void startS3() throws Exception {
    s3 = S3ProxyServer.start(temp.resolve("s3"), BUCKET);
  }

  @AfterEach
  void stopS3() {
    s3.close();
  }

  private ServerProcess serve(String secretKey, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("--capture-url=s3://" + BUCKET + "/odahu", "--s3-endpoint=" + s3.endpoint()));
    all.addAll(List.of(args));
    return ServerProcess.start(
        temp, S3ProxyServer.ACCESS_KEY, secretKey, Map.of(), all.toArray(String[]::new));
  }

  /** What the bucket holds of {@code tag}: request ids. */
  private Set<String> stored(String tag) {
    Set<String> ids = new HashSet<>();
    for (JsonNode record : s3.records(BUCKET, "odahu/model_log/" + tag + "/echo/1.0/")) {
      ids.add(record.get("request_id").asText());
    }
    return ids;
  }

  /** Invokes once and sends feedback for the answer; returns the feedback's status by id. */
  private static Map.Entry<String, Integer> invokeAndFeedback(ServerProcess server)
      throws Exception {
    HttpResponse<String> invoked = server.invoke(INVOKE);
    assertEquals(200, invoked.statusCode(), invoked.body());
    String id = invoked.headers().firstValue("Request-ID").orElseThrow();
    HttpResponse<String> feedback = server.feedback(id, "{\"truth\":1}");
    assertTrue(
        feedback.statusCode() == 200
            || feedback.body().equals("{\"error\":\"Cannot deliver message\"}"),
        feedback.statusCode() + " " + feedback.body());
    return Map.entry(id, feedback.statusCode());
  }

  @Test
  void aStoreThatIsDownForAWhileLosesNothingAndAcknowledgesOnlyWhatItHolds() throws Exception {
    Map<String, Integer> feedback = new ConcurrentHashMap<>();
    int invokes = 0;
    try (ServerProcess server =
        serve(S3ProxyServer.SECRET_KEY, "--timeout=5", "--capture-object-age=1")) {
      for (int i = 0; i < 5; i++, invokes++) {
        var answer = invokeAndFeedback(server);
        assertEquals(200, answer.getValue());
        feedback.put(answer.getKey(), answer.getValue());
      }
      s3.stop();
      List<Thread> clients = new ArrayList<>();
      AtomicInteger downInvokes = new AtomicInteger();
      for (int t = 0; t < 4; t++) {
        clients.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < 2; i++) {
                        try {
                          var answer = invokeAndFeedback(server);
                          feedback.put(answer.getKey(), answer.getValue());
                          downInvokes.incrementAndGet();
                        } catch (Exception e) {
                          throw new AssertionError(e);
                        }
                      }
                    }));
      }
      for (Thread client : clients) {
        client.join();
      }
      invokes += downInvokes.get();
      assertEquals(8, downInvokes.get());
      assertEquals(
          8,
          feedback.values().stream().filter(status -> status == 502).count(),
          feedback.toString());
      // The outage is in the log.
      assertTrue(
          server
              .log()
              .lines()
              .anyMatch(
                  line ->
                      (line.contains("WARN") || line.contains("ERROR"))
                          && line.contains("s3://capture/odahu/model_log/")),
          server.log());
      s3.start();
      for (int i = 0; i < 5; i++, invokes++) {
        var answer = invokeAndFeedback(server);
        assertEquals(200, answer.getValue(), "the store is back");
        feedback.put(answer.getKey(), answer.getValue());
      }
      assertEquals(0, server.sigterm(), server.log());
      long[] counts = server.finalCounts();
      long offered = 2L * invokes + feedback.size();
      assertArrayEquals(new long[] {offered, 0}, counts, "written, dropped\n" + server.log());
    }
    assertEquals(feedback.keySet(), stored("feedback"), "every feedback record, 502 ones included");
    assertEquals(stored("request_response"), stored("response_body"));
    assertEquals(feedback.keySet(), stored("request_response"));
  }

  @Test
  void sigtermUnderLoadUploadsEverythingAcknowledged() throws Exception {
    Map<String, Integer> feedback = new ConcurrentHashMap<>();
    Set<String> invoked = ConcurrentHashMap.newKeySet();
    // Objects never age out here: whatever is not feedback is uploaded only by the shutdown.
    // Configured as a docker-rest image is: through the environment.
    Map<String, String> environment =
        Map.of(
            "ODAHU_CAPTURE_URL",
            "s3://" + BUCKET + "/odahu",
            "ODAHU_S3_ENDPOINT",
            s3.endpoint().toString(),
            "ODAHU_WORKERS",
            "2");
    try (ServerProcess server =
        ServerProcess.start(
            temp, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, environment)) {
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        clients.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                      while (running.get() && System.nanoTime() < until) {
                        try {
                          HttpResponse<String> answer = server.invoke(INVOKE);
                          if (answer.statusCode() != 200) {
                            continue;
                          }
                          String id = answer.headers().firstValue("Request-ID").orElseThrow();
                          invoked.add(id);
                          feedback.put(id, server.feedback(id, "{\"truth\":2}").statusCode());
                        } catch (Exception e) {
                          return; // the server stopped listening
                        }
                      }
                    }));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (feedback.size() < 60 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertEquals(0, server.sigterm(), server.log());
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }
      long[] counts = server.finalCounts();
      assertEquals(0, counts[1], "dropped\n" + server.log());
      Set<String> acknowledged = new HashSet<>();
      feedback.forEach(
          (id, status) -> {
            if (status == 200) {
              acknowledged.add(id);
            }
          });
      assertTrue(acknowledged.size() >= 60, "acknowledged: " + acknowledged.size());
      Set<String> storedFeedback = stored("feedback");
      assertTrue(storedFeedback.containsAll(acknowledged), "acknowledged feedback lost");
      assertTrue(stored("request_response").containsAll(invoked), "invoke records lost");
      assertTrue(stored("response_body").containsAll(invoked), "invoke records lost");
      long lines = s3.records(BUCKET, "odahu/model_log/").size();
      assertEquals(counts[0], lines, "written = lines in the bucket");
    }
  }

  @Test
  void aWrongSecretIsAClearErrorWhoseRecordsAreCountedAsDroppedAndNeverShowsTheSecret()
      throws Exception {
    String wrongSecret = "WrOnG-sEcReT-in-env-5fz0q";
    try (ServerProcess server = serve(wrongSecret, "--timeout=2", "--capture-object-age=1")) {
      for (int i = 0; i < 3; i++) {
        assertEquals(502, invokeAndFeedback(server).getValue());
      }
      // What an operator's dashboard shows meanwhile: nothing stored, and no secret in any label.
      String metrics = server.get("/metrics").body();
      assertTrue(metrics.contains("\nodahu_capture_written_records_total 0.0\n"), metrics);
      assertTrue(metrics.contains("\nodahu_capture_held_bytes "), metrics);
      assertFalse(metrics.contains(wrongSecret), metrics);
      assertEquals(0, server.sigterm(), server.log());
      String log = server.log();
      assertTrue(
          log.lines()
              .anyMatch(
                  line ->
                      line.contains("WARN")
                          && line.contains("Cannot upload capture records to s3://capture/odahu/")
                          && line.contains("Status Code: 403")
                          && line.contains(
                              "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")),
          "no clear warning before shutdown:\n" + log);
      assertArrayEquals(new long[] {0, 9}, server.finalCounts(), log);
      assertFalse(log.contains(wrongSecret), log);
      assertFalse(log.contains(S3ProxyServer.SECRET_KEY), log);
    }
    assertTrue(s3.objects(BUCKET).isEmpty());
  }
}
