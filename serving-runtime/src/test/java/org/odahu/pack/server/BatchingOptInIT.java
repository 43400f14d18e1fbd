package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;

/**
 * Merging requests is opt-in: with the defaults, a stateful model (ODAHU's {@code counter}, which
 * answers how often it was called) is called exactly once per request, however many arrive at once.
 */
class BatchingOptInIT {

  @Test
  void withTheDefaultsAStatefulModelIsCalledExactlyOncePerConcurrentRequest() throws Exception {
    int clients = 16;
    int rounds = 4;
    ModelServerIT.serve(
        ModelServerIT.config(Examples.artifact("counter")).build(),
        true,
        client -> {
          List<Integer> answers = new ArrayList<>();
          ExecutorService pool = Executors.newFixedThreadPool(clients);
          try {
            for (int round = 0; round < rounds; round++) {
              answers.addAll(concurrentInvokes(client, pool, clients));
            }
          } finally {
            pool.shutdownNow();
          }
          // Every call counted once, every request its own call: the answers are 1..N, each once.
          assertEquals(
              IntStream.rangeClosed(1, clients * rounds).boxed().toList(),
              answers.stream().sorted().toList());
          String metrics = client.get("/metrics").body();
          assertEquals(1.0, value(metrics, "odahu_batch_requests_max"), "a merged call");
        });
  }

  /** The value of one series in a Prometheus scrape. */
  static double value(String metrics, String series) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " missing\n" + metrics));
  }

  /** Sends {@code clients} invokes released at the same instant; returns each one's counter. */
  private static List<Integer> concurrentInvokes(
      ModelServerIT.Client client, ExecutorService pool, int clients) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      calls.add(
          pool.submit(
              () -> {
                go.await();
                HttpResponse<String> response =
                    client.invoke("{\"columns\":[\"a\"],\"data\":[[\"" + id + "\"]]}");
                assertEquals(200, response.statusCode(), response.body());
                JsonNode body = ModelServerIT.read(response.body());
                JsonNode prediction = body.get("prediction");
                // One row for the one row sent, holding a single count.
                assertEquals(1, prediction.size(), response.body());
                assertEquals(1, prediction.get(0).size(), response.body());
                assertEquals("[\"result\"]", body.get("columns").toString(), response.body());
                return prediction.get(0).get(0).asInt();
              }));
    }
    go.countDown();
    List<Integer> counts = new ArrayList<>();
    for (Future<Integer> call : calls) {
      try {
        counts.add(call.get(2, TimeUnit.MINUTES));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return counts;
  }
}
