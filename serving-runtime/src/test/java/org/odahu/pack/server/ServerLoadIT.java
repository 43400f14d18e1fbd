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
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.server.testing.ServerMainCommand;

/** The server under concurrent load: batching correctness, a worker killed, SIGTERM. */
class ServerLoadIT {
  @TempDir Path temp;

  /** A request of random shape for the echo model, and the exact answer it must get back. */
  private record Case(String request, String expectedPrediction, int rows) {
    /** 1 to {@code maxRows} rows of 1 to 3 values, with a shuffled {@code columns} list or none. */
    static Case random(Random random, int client, int round, int maxRows) {
      List<String> names = new ArrayList<>(List.of("a", "b", "c"));
      Collections.shuffle(names, random);
      int width = 1 + random.nextInt(3);
      boolean withColumns = random.nextBoolean();
      StringBuilder rows = new StringBuilder("[");
      int count = 1 + random.nextInt(maxRows);
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
      return new Case("{\"data\":" + rows + columns + "}", rows.toString(), count);
    }

    private static String toJson(List<String> names) {
      return "[\"" + String.join("\",\"", names) + "\"]";
    }
  }

  /**
   * A property of batching: whatever merges, every client gets exactly its own rows back, in order;
   * merged calls stay within the row limit; a request over the limit is a model call of its own.
   * The shapes come from a seed that is printed (rerun one with {@code -Dodahu.test.seed=...}).
   */
  @Test
  void concurrentClientsAlwaysGetExactlyTheirOwnRowsBack() throws Exception {
    int maxBatchRows = 4;
    long seed = Long.getLong("odahu.test.seed", System.nanoTime());
    System.out.println("Batching property seed: " + seed);
    ModelServerIT.serve(
        ModelServerIT.config(Examples.artifact("echo"))
            .batching(new BatchingPolicy(true, maxBatchRows, Duration.ZERO))
            .build(),
        true,
        client -> {
          int clients = 32;
          int rounds = 25;
          AtomicInteger overLimit = new AtomicInteger();
          ExecutorService pool = Executors.newFixedThreadPool(clients);
          List<Future<Integer>> results = new ArrayList<>();
          for (int c = 0; c < clients; c++) {
            int id = c;
            results.add(
                pool.submit(
                    () -> {
                      Random random = new Random(seed + id);
                      for (int round = 0; round < rounds; round++) {
                        Case test = Case.random(random, id, round, maxBatchRows + 1);
                        overLimit.addAndGet(test.rows() > maxBatchRows ? 1 : 0);
                        HttpResponse<String> response = client.invoke(test.request());
                        assertEquals(200, response.statusCode(), response.body());
                        JsonNode body = ModelServerIT.read(response.body());
                        assertEquals(
                            test.expectedPrediction(),
                            body.get("prediction").toString(),
                            "seed " + seed);
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
          assertTrue(value(metrics, "odahu_batch_requests_max") > 1, metrics);
          // Calls over the limit are exactly the requests over it, each alone (a merged one
          // would have more rows than any single request).
          double calls = value(metrics, "odahu_batch_size_rows_count");
          double withinLimit =
              value(metrics, "odahu_batch_size_rows_bucket{le=\"" + (double) maxBatchRows + "\"}");
          assertEquals(overLimit.get(), calls - withinLimit, "seed " + seed + "\n" + metrics);
          assertTrue(
              value(metrics, "odahu_batch_size_rows_max") <= maxBatchRows + 1,
              "seed " + seed + "\n" + metrics);
        });
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The value of one series, e.g. {@code name{label="x"}}, in a Prometheus scrape. */
  private static double value(String metrics, String series) {
    for (String line : metrics.lines().toList()) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError(series + " missing");
  }

  @Test
  void killingAWorkerUnderLoadFailsAtMostItsOwnCallsAndTheServerStaysReady() throws Exception {
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
          // The other worker serves while the killed one is replaced: the count dips, readiness
          // not.
          boolean[] dipped = {false};
          List<Integer> statuses = new ArrayList<>();
          ModelServerIT.waitFor(
              () -> {
                HttpResponse<String> ready = client.get("/health/ready");
                statuses.add(ready.statusCode());
                dipped[0] |= ready.body().contains("\"alive\":1,");
                return dipped[0] && ready.body().contains("\"alive\":2,");
              });
          assertEquals(List.of(200), statuses.stream().distinct().toList());
          int okBefore = ok.get();
          ModelServerIT.waitFor(() -> ok.get() > okBefore + 100);
          running.set(false);
          load.forEach(ModelServerIT::join);
          // Only the calls running on the killed worker may fail (merged ones are retried alone).
          assertTrue(failed.get() <= 4, "failed: " + failed.get() + ", ok: " + ok.get());
          assertTrue(client.get("/metrics").body().contains("odahu_worker_restarts_total 1.0"));
        });
  }

  /** What one request of the SIGTERM test got: a status, or the error that ended it. */
  private record Outcome(
      long startNanos, long endNanos, int status, String requestId, String error) {
    String describe(long sigtermNanos) {
      return String.format(
          Locale.ROOT,
          "request sent %.3f s before SIGTERM: %s",
          (sigtermNanos - startNanos) / 1e9,
          error != null ? error : "status " + status);
    }
  }

  private static Outcome invokeSlowly(int port) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          ModelServerIT.HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"data\":[[\"sleep\",0.4]]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Outcome(
          start,
          System.nanoTime(),
          response.statusCode(),
          response.headers().firstValue("Request-ID").orElse(null),
          null);
    } catch (IOException e) {
      return new Outcome(start, System.nanoTime(), 0, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(start, System.nanoTime(), 0, null, e.toString());
    }
  }

  @Test
  void sigtermWhileRequestsAreInFlightAnswersThemAllFlushesEveryRecordAndExitsZero()
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path capture = temp.resolve("capture");
    Process server =
        new ProcessBuilder(
                ServerMainCommand.of(
                    Examples.testModel("unruly").toString(),
                    "--host=127.0.0.1",
                    "--port=" + port,
                    "--python=" + Examples.python(),
                    "--capture-dir=" + capture,
                    "--no-access-log"))
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("server.log").toFile())
            .start();
    ModelServerIT.waitFor(() -> ready(new ModelServerIT.Client(port)));
    List<ProcessHandle> workers = ModelServerIT.pythonProcesses(server.toHandle());
    assertEquals(1, workers.size(), workers.toString());
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      load.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    boolean served = true;
                    while (running.get() && served) {
                      Outcome outcome = invokeSlowly(port);
                      outcomes.add(outcome);
                      served = outcome.error() == null; // refused once the server stops listening
                    }
                  }));
    }
    ModelServerIT.waitFor(() -> answered(outcomes).size() >= 16);
    long sigterm = System.nanoTime();
    server.destroy(); // SIGTERM
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop");
    running.set(false);
    load.forEach(ModelServerIT::join);
    String log = Files.readString(temp.resolve("server.log"));
    assertEquals(0, server.exitValue(), log);
    List<Outcome> sentBefore;
    synchronized (outcomes) {
      sentBefore = outcomes.stream().filter(o -> o.startNanos() < sigterm).toList();
    }
    for (Outcome outcome : sentBefore) {
      assertTrue(
          outcome.status() == 200 || outcome.status() == 503,
          outcome.describe(sigterm) + "\n" + log);
    }
    assertTrue(
        sentBefore.stream().anyMatch(o -> o.status() == 200 && o.endNanos() > sigterm),
        "no request was in flight at SIGTERM");
    Set<String> requestResponse = new HashSet<>();
    ModelServerIT.records(capture, "request_response", "unruly", "1.0")
        .forEach(r -> requestResponse.add(r.get("request_id").asText()));
    Set<String> responseBody = new HashSet<>();
    ModelServerIT.records(capture, "response_body", "unruly", "1.0")
        .forEach(r -> responseBody.add(r.get("request_id").asText()));
    assertTrue(requestResponse.containsAll(answered(outcomes)), "missing request_response records");
    assertTrue(responseBody.containsAll(answered(outcomes)), "missing response_body records");
    ModelServerIT.waitFor(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
  }

  /** The request ids of the requests answered 200. */
  private static Set<String> answered(List<Outcome> outcomes) {
    synchronized (outcomes) {
      return outcomes.stream()
          .filter(o -> o.status() == 200)
          .map(Outcome::requestId)
          .collect(Collectors.toSet());
    }
  }

  private static boolean ready(ModelServerIT.Client client) {
    try {
      return client.get("/health/ready").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
