package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.server.ModelServerIT.Client;

/**
 * Every error status over a real socket, with real CPython workers: status, exact JSON body,
 * content type, request id and the headers that go with the status.
 */
class ErrorResponsesIT {
  /** The servers the cases run against, each started on first use. */
  enum Server {
    /** The model that always raises; a 4 KiB body limit. */
    FAILING,
    /** A model that sleeps on request, with a 1 s timeout. */
    TIMING_OUT,
    /** A model that sleeps on request, one worker, one queue place, no batching. */
    QUEUE_OF_ONE,
    /** A model whose import fails. */
    NOT_READY;

    ServerConfig config() {
      return switch (this) {
        case FAILING -> ModelServerIT.config(Examples.artifact("fail")).maxBodyBytes(4096).build();
        case TIMING_OUT ->
            ModelServerIT.config(Examples.testModel("unruly"))
                .timeout(Duration.ofSeconds(1))
                .build();
        case QUEUE_OF_ONE ->
            ModelServerIT.config(Examples.testModel("unruly"))
                .queueCapacity(1)
                .batching(BatchingPolicy.DISABLED)
                .build();
        case NOT_READY -> ModelServerIT.config(Examples.testModel("badimport")).build();
      };
    }
  }

  private static final Map<Server, ModelServer> STARTED = new EnumMap<>(Server.class);

  private static Client client(Server server) throws Exception {
    ModelServer started = STARTED.get(server);
    if (started == null) {
      started = ModelServerIT.start(server.config());
      STARTED.put(server, started);
      Client client = new Client(started.port());
      if (server == Server.NOT_READY) {
        ModelServerIT.waitFor(
            () -> client.get("/health/ready").body().contains("odahu_missing_dependency"));
      } else {
        started.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
    return new Client(started.port());
  }

  @AfterAll
  static void stopServers() {
    STARTED.values().forEach(ModelServer::shutdown);
  }

  /**
   * One error: what to send (with the given request id) and what must come back.
   *
   * @param body a regular expression the whole body must match
   * @param headerName a header the status requires, or null
   * @param headerValue its value
   */
  record Case(
      String name,
      Server server,
      Function<Client, HttpResponse<String>> send,
      int status,
      String body,
      String headerName,
      String headerValue) {
    static Case of(
        String name,
        Server server,
        Function<Client, HttpResponse<String>> send,
        int status,
        String body) {
      return new Case(name, server, send, status, body, null, null);
    }

    Case with(String name, String value) {
      return new Case(this.name, server, send, status, body, name, value);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String ID = "error-case-1";

  private static Function<Client, HttpResponse<String>> invoke(String body) {
    return client -> client.post("/api/model/invoke", body, "Request-ID", ID);
  }

  private static String exactly(String message) {
    return Pattern.quote("{\"message\": \"" + message + "\"}");
  }

  static Stream<Case> cases() {
    byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, '{'};
    return Stream.of(
        Case.of(
            "unparsable JSON",
            Server.FAILING,
            invoke("not json"),
            400,
            exactly(
                "Can not parse input as JSON: Unrecognized token 'not': was expecting (JSON"
                    + " String, Number, Array, Object or token 'null', 'true' or 'false')")),
        Case.of(
            "non-UTF-8 body",
            Server.FAILING,
            client -> client.post("/api/model/invoke", notUtf8, "Request-ID", ID),
            400,
            exactly("Can not decode POST data using utf-8 charset: Input length = 1")),
        Case.of(
            "non-object body",
            Server.FAILING,
            invoke("[[1, 2]]"),
            400,
            exactly("Request body must be a JSON object with a \\\"data\\\" matrix")),
        Case.of(
            "missing matrix",
            Server.FAILING,
            invoke("{\"columns\": [\"a\"]}"),
            400,
            exactly("Matrix is not provided")),
        Case.of(
            "empty matrix",
            Server.FAILING,
            invoke("{\"data\": []}"),
            400,
            exactly("Matrix is not provided")),
        Case.of(
            "empty object as matrix",
            Server.FAILING,
            invoke("{\"data\": {}}"),
            400,
            exactly("Matrix is not provided")),
        Case.of(
            "lone surrogate",
            Server.FAILING,
            invoke("{\"data\": [[\"\\ud800\"]]}"),
            400,
            exactly(
                "Can not parse input as JSON: lone surrogate in a string at line 1, column 12")),
        Case.of(
            "unknown path",
            Server.FAILING,
            client -> client.get("/api/model/nothing?x=1", "Request-ID", ID),
            404,
            exactly("Not found: /api/model/nothing")),
        Case.of(
                "wrong method",
                Server.FAILING,
                client -> client.get("/api/model/invoke", "Request-ID", ID),
                405,
                exactly("Method GET is not allowed on /api/model/invoke"))
            .with("Allow", "POST"),
        Case.of(
                "oversized body",
                Server.FAILING,
                invoke("{\"data\":[[\"" + "x".repeat(5000) + "\"]]}"),
                413,
                exactly("Request body is larger than the limit of 4096 bytes"))
            .with("Connection", "close"),
        Case.of(
            "nested deeper than the worker could decode",
            Server.FAILING,
            invoke("{\"data\": [" + "[".repeat(600) + "]".repeat(600) + "]}"),
            400,
            exactly(
                "Can not parse input as JSON: Document nesting depth (513) exceeds the maximum"
                    + " allowed (512)")),
        Case.of(
                "model exception",
                Server.FAILING,
                invoke("{\"data\":[[1]]}"),
                500,
                exactly("Exception during prediction: Expected error"))
            .with("Model-Name", "fail"),
        Case.of(
                "queue full",
                Server.QUEUE_OF_ONE,
                ErrorResponsesIT::invokeBehindAFullQueue,
                503,
                exactly("The prediction queue is full (1 requests waiting); retry later"))
            .with("Retry-After", "1"),
        Case.of(
            "timeout",
            Server.TIMING_OUT,
            invoke("{\"data\":[[\"sleep\",20]]}"),
            504,
            "\\{\"message\": \"Prediction timed out after 1 s[^\"]*\"\\}"),
        Case.of(
                "not ready",
                Server.NOT_READY,
                invoke("{\"data\":[[1]]}"),
                503,
                "\\{\"message\": \"The model is not ready: [^\"]*odahu_missing_dependency[^\"]*\"\\}")
            .with("Retry-After", "5"));
  }

  /** Occupies the only worker and the only queue place, then invokes. */
  private static HttpResponse<String> invokeBehindAFullQueue(Client client) {
    Thread busy = Thread.ofPlatform().start(() -> client.invoke("{\"data\":[[\"sleep\",1.5]]}"));
    ModelServerIT.waitFor(() -> client.get("/metrics").body().contains("odahu_workers_busy 1.0"));
    Thread queued = Thread.ofPlatform().start(() -> client.invoke("{\"data\":[[\"sleep\",0]]}"));
    ModelServerIT.waitFor(
        () -> client.get("/metrics").body().contains("odahu_prediction_queue_depth 1.0"));
    HttpResponse<String> refused = invoke("{\"data\":[[\"ok\",1]]}").apply(client);
    ModelServerIT.join(busy);
    ModelServerIT.join(queued);
    return refused;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void errorsAreJsonWithTheRequestId(Case error) throws Exception {
    HttpResponse<String> response = error.send().apply(client(error.server()));
    assertEquals(error.status(), response.statusCode(), response.body());
    assertTrue(
        response.body().matches(error.body()),
        () -> response.body() + " does not match " + error.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
    assertEquals(ID, response.headers().firstValue("Request-ID").orElse(null));
    if (error.headerName() != null) {
      assertEquals(
          error.headerValue(), response.headers().firstValue(error.headerName()).orElse(null));
    }
  }

  private static double metric(Client client, String name) {
    java.util.regex.Matcher value =
        Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$")
            .matcher(client.get("/metrics").body());
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  /**
   * A call that times out in the model, and one that times out waiting for the busy worker, are in
   * the timing histograms: the dashboard's "where the time goes" shows an overload, not nothing.
   */
  @Test
  void callsThatTimeOutAreCountedInTheTimingHistograms() throws Exception {
    Client client = client(Server.TIMING_OUT);
    String calls = "odahu_prediction_model_call_seconds_count";
    String waits = "odahu_prediction_queue_wait_seconds_count";
    double callsBefore = metric(client, calls);
    double waitsBefore = metric(client, waits);
    double callSecondsBefore = metric(client, "odahu_prediction_model_call_seconds_sum");
    Thread running = Thread.ofPlatform().start(() -> client.invoke("{\"data\":[[\"sleep\",20]]}"));
    ModelServerIT.waitFor(() -> client.get("/metrics").body().contains("odahu_workers_busy 1.0"));
    assertEquals(504, client.invoke("{\"data\":[[\"sleep\",20]]}").statusCode());
    ModelServerIT.join(running);
    ModelServerIT.waitFor(() -> metric(client, calls) >= callsBefore + 1);
    assertTrue(metric(client, waits) >= waitsBefore + 2, client.get("/metrics").body());
    assertTrue(
        metric(client, "odahu_prediction_model_call_seconds_sum") - callSecondsBefore >= 0.9,
        client.get("/metrics").body());
  }

  /**
   * A client that sends its whole oversized body without waiting for an answer (no {@code Expect:
   * 100-continue}, as Python's urllib and requests do) reads the 413: the server neither resets the
   * connection under the upload nor before the client has read the answer.
   */
  @Test
  void anOversizedBodySentWithoutWaitingStillGetsIts413() throws Exception {
    client(Server.FAILING); // started
    int port = STARTED.get(Server.FAILING).port();
    byte[] body = new byte[8 << 20];
    Arrays.fill(body, (byte) '1');
    for (int attempt = 0; attempt < 5; attempt++) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body); // all of it, as such clients do, before reading anything
        out.flush();
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(
            answer.endsWith(
                "{\"message\": \"Request body is larger than the limit of 4096 bytes\"}"),
            answer);
      }
    }
  }
}
