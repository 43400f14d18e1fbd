package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.http.HttpLimits;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Connection;
import org.odahu.pack.server.testing.RawHttp.Response;

/**
 * What clients can make the server hold, over real sockets to a server with a CPython worker
 * running the echo model: connections, time to send a request, request bodies in memory.
 */
class HttpLimitsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ModelServer start(HttpLimits limits, int maxBodyBytes) throws Exception {
    ModelServer server =
        ModelServerIT.start(
            ModelServerIT.config(Examples.artifact("echo"))
                .maxBodyBytes(maxBodyBytes)
                .httpLimits(limits)
                .build());
    server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return server;
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedAtOnceAndTheOthersServed() throws Exception {
    ModelServer server = start(new HttpLimits(3, Duration.ofSeconds(60), 0), 1 << 20);
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Connection connection = RawHttp.Connection.open(server.port());
        open.add(connection);
        assertEquals(200, connection.send(RawHttp.get("/health/live")).read(WAIT).status());
      }
      for (int i = 0; i < 20; i++) {
        try (Connection refused = RawHttp.Connection.open(server.port())) {
          long start = System.nanoTime();
          Response busy = refused.send(RawHttp.get("/version")).poll(Duration.ofSeconds(5));
          assertTrue(
              busy == null || busy.status() == 503, () -> "got " + busy.status() + " " + busy);
          assertTrue(refused.endsWithin(Duration.ofSeconds(5)), "a refused connection stays open");
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertTrue(millis < 2000, "refused after " + millis + " ms");
          if (busy != null) {
            assertEquals("1", busy.header("retry-after"));
          }
        }
      }
      for (Connection connection : open) {
        assertEquals(200, connection.send(RawHttp.get("/health/live")).read(WAIT).status());
      }
      open.remove(0).close();
      ModelServerIT.waitFor(
          () -> {
            try (Connection next = RawHttp.Connection.open(server.port())) {
              // Not a probe: beyond the limit it would get 503.
              Response answer = next.send(RawHttp.get("/version")).poll(WAIT);
              return answer != null && answer.status() == 200;
            } catch (AssertionError e) {
              return false; // still refused: the closed connection is not counted off yet
            }
          });
    } finally {
      open.forEach(Connection::close);
      server.shutdown();
    }
  }

  /**
   * Beyond the limit, health probes and scrapes are still answered as usual (Kubernetes' liveness
   * probe must not fail because clients hold every connection), everything else gets 503 from its
   * head alone, every such connection closes after its answer, and the refusals are counted.
   */
  @Test
  void beyondTheLimitProbesAndScrapesAreAnsweredAndEverythingElseRefusedAndCounted()
      throws Exception {
    ModelServer server = start(new HttpLimits(3, Duration.ofSeconds(60), 0), 1 << 20);
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Connection connection = RawHttp.Connection.open(server.port());
        open.add(connection);
        assertEquals(200, connection.send(RawHttp.get("/health/live")).read(WAIT).status());
      }
      for (String probe :
          List.of(
              "/health/live",
              "/health/ready",
              "/healthcheck",
              "/health",
              "/ping",
              "/v2/health/live",
              "/v2/health/ready")) {
        Response answer = overLimit(server, RawHttp.get(probe));
        assertEquals(200, answer.status(), probe + ": " + answer);
        assertEquals("close", answer.header("connection"), probe);
      }
      Response scrape = overLimit(server, RawHttp.get("/metrics"));
      assertEquals(200, scrape.status(), scrape.toString());
      assertTrue(scrape.body().contains("\nodahu_http_connections_open 3.0\n"), scrape.body());
      assertTrue(
          scrape.body().contains("\nodahu_http_connections_refused_total 0.0\n"), scrape.body());

      Response prediction =
          overLimit(server, RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
      assertEquals(503, prediction.status(), prediction.toString());
      assertEquals("1", prediction.header("retry-after"));
      assertTrue(prediction.body().contains("as many connections as it may serve (3)"));
      assertEquals(503, overLimit(server, RawHttp.get("/api/model/info")).status());
      assertEquals(503, overLimit(server, RawHttp.get("/nowhere")).status());
      try (Connection silent = RawHttp.Connection.open(server.port())) {
        Response busy = silent.read(Duration.ofSeconds(5)); // sends nothing: 503 after 1 s
        assertEquals(503, busy.status(), busy.toString());
        assertTrue(silent.endsWithin(Duration.ofSeconds(5)));
      }

      ModelServerIT.waitFor(
          () -> {
            String metrics = overLimit(server, RawHttp.get("/metrics")).body();
            return metrics.contains("\nodahu_http_connections_refused_total 4.0\n");
          });
      for (Connection connection : open) {
        assertEquals(200, connection.send(RawHttp.get("/health/live")).read(WAIT).status());
      }
    } finally {
      open.forEach(Connection::close);
      server.shutdown();
    }
  }

  /** The answer to {@code request} on a connection beyond the limit, which then closes. */
  private static Response overLimit(ModelServer server, String request) {
    try (Connection connection = RawHttp.Connection.open(server.port())) {
      Response answer = connection.send(request).read(Duration.ofSeconds(5));
      assertTrue(connection.endsWithin(Duration.ofSeconds(5)), "stays open after " + answer);
      return answer;
    }
  }

  /**
   * At most {@code ConnectionLimiter.OVERFLOW} connections beyond the limit are read at once: a
   * flood of idle ones holds no more, the rest are closed unanswered and counted.
   */
  @Test
  void connectionsBeyondTheLimitAreReadOnlySoManyAtOnce() throws Exception {
    ModelServer server = start(new HttpLimits(1, Duration.ofSeconds(60), 0), 1 << 20);
    List<Connection> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1 + 64; i++) {
        idle.add(RawHttp.Connection.open(server.port()));
      }
      try (Connection extra = RawHttp.Connection.open(server.port())) {
        // Closed at once without an answer: the end of the stream (or a reset) before a byte.
        assertThrows(AssertionError.class, () -> extra.poll(Duration.ofMillis(500)));
      }
      for (Connection connection : idle.subList(1, idle.size())) {
        // Sent nothing within a second: answered 503 and closed.
        assertEquals(503, connection.read(Duration.ofSeconds(5)).status());
        assertTrue(connection.endsWithin(Duration.ofSeconds(5)));
      }
      ModelServerIT.waitFor(
          () ->
              overLimit(server, RawHttp.get("/metrics"))
                  .body()
                  .contains("\nodahu_http_connections_refused_total 65.0\n"));
    } finally {
      idle.forEach(Connection::close);
      server.shutdown();
    }
  }

  @Test
  void aRequestSentAByteAtATimeMeetsItsDeadline() throws Exception {
    ModelServer server = start(new HttpLimits(100, Duration.ofSeconds(3), 0), 1 << 20);
    try (Connection slow = RawHttp.Connection.open(server.port())) {
      slow.send("POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n{");
      long start = System.nanoTime();
      Response answer = null;
      while (answer == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
        slow.send(" ");
        answer = slow.poll(Duration.ofSeconds(1));
      }
      assertTrue(answer != null, "a byte a second kept the request open for 10 s");
      assertEquals(408, answer.status());
      assertEquals("close", answer.header("connection"));
      assertTrue(slow.endsWithin(Duration.ofSeconds(5)));
    } finally {
      server.shutdown();
    }
  }

  private static String head(int contentLength, int id) {
    return "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nRequest-ID: slow-"
        + id
        + "\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private static String body(int length) {
    String open = "{\"data\":[[\"";
    String close = "\"]]}";
    return open + "x".repeat(length - open.length() - close.length()) + close;
  }

  @Test
  void manySlowLargeBodiesAtOnceHoldAtMostTheBudget() throws Exception {
    int size = 900_000;
    ModelServer server = start(new HttpLimits(100, Duration.ofSeconds(60), 3_000_000), 1 << 20);
    List<Connection> clients = new ArrayList<>();
    try {
      String body = body(size);
      for (int i = 0; i < 10; i++) {
        Connection client = RawHttp.Connection.open(server.port());
        clients.add(client);
        client.send(head(size, i) + body.substring(0, 100_000));
      }
      List<Connection> holding = new ArrayList<>();
      int refused = 0;
      for (Connection client : clients) {
        Response early = client.poll(Duration.ofSeconds(2));
        if (early == null) {
          holding.add(client);
        } else {
          assertEquals(503, early.status(), early.body());
          assertEquals("1", early.header("retry-after"));
          refused++;
        }
      }
      assertEquals(3, holding.size(), "bodies held at once");
      assertEquals(7, refused);
      for (Connection client : holding) {
        Response answer = client.send(body.substring(100_000)).read(WAIT);
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().startsWith("{\"prediction\":[[\"xxxxxxxx"), answer.body());
      }
      // Refused clients keep their connections: their bodies are read and dropped.
      Connection again = clients.stream().filter(c -> !holding.contains(c)).findFirst().get();
      assertNull(again.send(body.substring(100_000)).poll(Duration.ofMillis(500)));
      assertEquals(200, again.send(head(size, 99) + body).read(WAIT).status());
    } finally {
      clients.forEach(Connection::close);
      server.shutdown();
    }
  }
}
