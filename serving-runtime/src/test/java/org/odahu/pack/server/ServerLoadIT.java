package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.gppi.testing.Examples;

/** The server under concurrent load: batching correctness, a worker killed, SIGTERM. */
class ServerLoadIT {
  @TempDir Path temp;

  /** A request of random shape for the echo model, and the exact answer it must get back. */
  private record Case(String request, String expectedPrediction) {
    static Case random(Random random, int client, int round) {
      List<String> names = new ArrayList<>(List.of("a", "b", "c"));
      Collections.shuffle(names, random);
      int width = 1 + random.nextInt(3);
      boolean withColumns = random.nextBoolean();
      StringBuilder rows = new StringBuilder("[");
      int count = 1 + random.nextInt(5);
      for (int row = 0; row < count; row++) {
        rows.append(row == 0 ? "[" : ",[");
        for (int col = 0; col < width; col++) {
          rows.append(col == 0 ? "" : ",")
              .append('"')
              .append(client)
              .append('-')
              .append(round)
              .append('-')
              .append(row)
              .append('-')
              .append(col)
              .append('"');
        }
        rows.append(']');
      }
      rows.append(']');
      String columns = withColumns ? ",\"columns\":" + toJson(names.subList(0, width)) : "";
      return new Case("{\"data\":" + rows + columns + "}", rows.toString());
    }

    private static String toJson(List<String> names) {
      return "[\"" + String.join("\",\"", names) + "\"]";
    }
  }

  @Test
  void concurrentClientsAlwaysGetExactlyTheirOwnRowsBack() throws Exception {
    ModelServerIT.serve(
        ModelServerIT.config(Examples.artifact("echo")).build(),
        true,
        client -> {
          int clients = 32;
          int rounds = 25;
          ExecutorService pool = Executors.newFixedThreadPool(clients);
          List<Future<Integer>> results = new ArrayList<>();
          for (int c = 0; c < clients; c++) {
            int id = c;
            results.add(
                pool.submit(
                    () -> {
                      Random random = new Random(id);
                      for (int round = 0; round < rounds; round++) {
                        Case test = Case.random(random, id, round);
                        HttpResponse<String> response = client.invoke(test.request());
                        assertEquals(200, response.statusCode(), response.body());
                        JsonNode body = ModelServerIT.read(response.body());
                        assertEquals(test.expectedPrediction(), body.get("prediction").toString());
                      }
                      return rounds;
                    }));
          }
          int done = 0;
          for (Future<Integer> result : results) {
            done += get(result);
          }
          pool.shutdown();
          assertEquals(clients * rounds, done);
          String metrics = client.get("/metrics").body();
          // Batches really formed: some model call served more than one request.
          assertTrue(maxOf(metrics, "odahu_batch_requests_max") > 1, metrics);
        });
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static double maxOf(String metrics, String name) {
    for (String line : metrics.lines().toList()) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError(name + " missing");
  }

  @Test
  void killingAWorkerUnderLoadFailsAtMostItsOwnCallsAndReadinessRecovers() throws Exception {
    ModelServerIT.serve(
        ModelServerIT.config(Examples.testModel("unruly")).workers(2).build(),
        true,
        client -> {
          AtomicBoolean running = new AtomicBoolean(true);
          AtomicInteger ok = new AtomicInteger();
          AtomicInteger failed = new AtomicInteger();
          List<Thread> load = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            load.add(
                Thread.ofPlatform()
                    .start(
                        () -> {
                          while (running.get()) {
                            int status = client.invoke("{\"data\":[[\"ok\",1]]}").statusCode();
                            (status == 200 ? ok : failed).incrementAndGet();
                          }
                        }));
          }
          ModelServerIT.waitFor(() -> ok.get() > 100);
          ProcessHandle victim =
              ProcessHandle.current()
                  .descendants()
                  .filter(p -> p.info().command().orElse("").contains("python"))
                  .findFirst()
                  .orElseThrow();
          victim.destroyForcibly();
          boolean[] dipped = {false};
          ModelServerIT.waitFor(
              () -> {
                dipped[0] |= client.get("/health/ready").statusCode() == 503;
                return dipped[0] && client.get("/health/ready").statusCode() == 200;
              });
          int okBefore = ok.get();
          ModelServerIT.waitFor(() -> ok.get() > okBefore + 100);
          running.set(false);
          load.forEach(ModelServerIT::join);
          // Only the calls running on the killed worker may fail (merged ones are retried alone).
          assertTrue(failed.get() <= 4, "failed: " + failed.get() + ", ok: " + ok.get());
          assertTrue(client.get("/metrics").body().contains("odahu_worker_restarts_total 1.0"));
        });
  }

  @Test
  void sigtermUnderLoadAnswersInFlightRequestsAndFlushesEveryRecord() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path capture = temp.resolve("capture");
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                Examples.artifact("echo").toString(),
                "--host=127.0.0.1",
                "--port=" + port,
                "--python=" + Examples.python(),
                "--capture-dir=" + capture,
                "--no-access-log")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("server.log").toFile())
            .start();
    ModelServerIT.Client client = new ModelServerIT.Client(port);
    ModelServerIT.waitFor(() -> ready(client));
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch warm = new CountDownLatch(50);
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      load.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (running.get()) {
                      try {
                        HttpResponse<String> response =
                            ModelServerIT.HTTP.send(
                                HttpRequest.newBuilder(
                                        URI.create(
                                            "http://127.0.0.1:" + port + "/api/model/invoke"))
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\":[[1,2]]}"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                          answered.add(response.headers().firstValue("Request-ID").orElseThrow());
                          warm.countDown();
                        }
                      } catch (IOException e) {
                        // The server stopped accepting: expected once SIGTERM arrives.
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }));
    }
    assertTrue(warm.await(60, TimeUnit.SECONDS));
    server.destroy(); // SIGTERM
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
    running.set(false);
    load.forEach(ModelServerIT::join);
    assertEquals(0, server.exitValue(), Files.readString(temp.resolve("server.log")));
    Set<String> requestResponse = new HashSet<>();
    ModelServerIT.records(capture, "request_response", "echo", "1.0")
        .forEach(r -> requestResponse.add(r.get("request_id").asText()));
    Set<String> responseBody = new HashSet<>();
    ModelServerIT.records(capture, "response_body", "echo", "1.0")
        .forEach(r -> responseBody.add(r.get("request_id").asText()));
    assertTrue(answered.size() >= 50);
    assertTrue(requestResponse.containsAll(answered), "missing request_response records");
    assertTrue(responseBody.containsAll(answered), "missing response_body records");
  }

  private static boolean ready(ModelServerIT.Client client) {
    try {
      return client.get("/health/ready").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
